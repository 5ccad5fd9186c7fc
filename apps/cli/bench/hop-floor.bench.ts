import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { evaluateDmarc } from 'mailauth/lib/dmarc';
import { spf } from 'mailauth/lib/spf';
import { parseMail } from '@inviteflow/parser-core';
import { writeBenchReport } from '@inviteflow/testing';
import { infraPaths, spawnServer, startLocalMongo, startLocalNats, type ManagedProcess } from '@inviteflow/infra';
import { SmtpDriver } from '../src/chaos/smtp.driver';
import { SERVICE_NODE_FLAGS } from '../src/cluster/service-catalog';
import { flatOut, loadMail, type LoadMail } from '../load/load.phases';
import { sampleAll, type Watched } from '../load/proc-stats';

// The floor under the pipeline's CPU per invitation (issue 14's "≤ 1.0 ms across the five
// services"): the same three hops as ingest → parser → appointment, on the same libraries
// (smtp-server, nats.js's JetStream consume / publish / ack, the MongoDB driver), the same Node
// flags, nats-server settings and stand-in, the same SMTP generator and mails, with none of the
// product in them (hop-floor.child.cjs). Run it beside `./dev load` (alternating: the host's speed
// moves between runs) and read the ratio: what the product adds on top of what its stack costs.
// It is a lower bound: its publishes carry no Nats-Msg-Id (the services' dedupe) and its
// connections no nkey authorization, so its nats-server does a little less than the cluster's.
const COUNT = Number(process.env['BENCH_FLOOR_COUNT'] ?? 4000);
const CONNECTIONS = 8;
const CHILD = join(__dirname, 'hop-floor.child.cjs');
const ROLES = ['smtp-in', 'relay', 'store'] as const;

/** The mails `./dev load` sends, to 20 addresses in turn. */
const invitation = (i: number): LoadMail => loadMail('floor', i, 'organizer@partner.example', `floor-${i % 20}@floor.test`);

const floorReport: Record<string, unknown> = {};

describe('hop floor: the three hops with none of the product in them', () => {
  const paths = infraPaths();
  const dir = mkdtempSync(join(tmpdir(), 'hop-floor-'));
  const started: ManagedProcess[] = [];
  let nc: NatsConnection | undefined;

  afterAll(async () => {
    await nc?.close();
    for (const p of started.reverse()) await p.stop(10_000);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test(`${COUNT} mails flat out over ${CONNECTIONS} SMTP connections: each arrives once; CPU per mail of each hop`, async () => {
    // Arrange: nats-server and the stand-in as the local cluster runs them, the two streams, the hops
    const nats = await startLocalNats(paths, { storeDir: join(dir, 'nats'), name: 'floor-nats' });
    started.push(nats.proc);
    const mongo = await startLocalMongo(paths, { backend: { kind: 'h2', file: join(dir, 'mongo', 'db.mv') }, name: 'floor-mongo' });
    started.push(mongo.proc);
    nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    for (const [stream, subject, durable] of [['FLOOR_IN', 'floor.in', 'relay'], ['FLOOR_MID', 'floor.mid', 'store']] as const) {
      await jsm.streams.add({ name: stream, subjects: [subject], storage: StorageType.File, num_replicas: 1, duplicate_window: 120e9 });
      await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, ack_wait: 30e9, max_ack_pending: 1000 });
    }
    let smtpPort = 0;
    const pids: Watched[] = [{ name: 'nats-server', pid: nats.proc.child.pid! }, { name: 'mongo-stand-in', pid: mongo.proc.child.pid! }];
    for (const role of ROLES) {
      const { proc, match } = await spawnServer({
        name: `floor-${role}`, command: process.execPath,
        args: [...SERVICE_NODE_FLAGS.parser, CHILD, role, nats.url, mongo.url],
        logFile: join(paths.logDir, `floor-${role}.log`), readyLine: /READY ?(\d*)/, startTimeoutMs: 30_000,
      });
      started.push(proc);
      pids.push({ name: role, pid: proc.child.pid! });
      if (role === 'smtp-in') smtpPort = Number(match[1]);
    }
    const done = new Map<string, number>();
    nc.subscribe('floor.done', { callback: (_err, m) => void done.set(m.string(), (done.get(m.string()) ?? 0) + 1) });
    const send = async (from: number, count: number): Promise<number> => {
      const driver = new SmtpDriver({ smtp: `127.0.0.1:${smtpPort}`, connections: CONNECTIONS, retryForMs: 60_000 });
      try {
        const mails = Array.from({ length: count }, (_, i) => invitation(from + i));
        return (await flatOut(driver, mails, CONNECTIONS)).filter((o) => o.accepted).length;
      } finally {
        driver.close();
      }
    };
    const arrived = async (n: number): Promise<void> => {
      for (let idle = 0; done.size < n && idle < 600; idle += 1) {
        const before = done.size;
        await new Promise((r) => setTimeout(r, 100));
        if (done.size > before) idle = 0;
      }
    };
    // Warm-up (JIT, connections), not measured
    expect(await send(0, 200)).toBe(200);
    await arrived(200);

    // Act
    const before = sampleAll(pids);
    const t0 = performance.now();
    const accepted = await send(200, COUNT);
    await arrived(200 + COUNT);
    const seconds = (performance.now() - t0) / 1000;
    const after = sampleAll(pids);

    // Assert: every mail went through each hop once
    expect(accepted).toBe(COUNT);
    expect(done.size).toBe(200 + COUNT);
    expect([...done.values()].every((n) => n === 1)).toBe(true);
    const perMail = (name: string): number => Math.round(((after.get(name)!.cpuMs - before.get(name)!.cpuMs) / COUNT) * 1000) / 1000;
    const switches = (name: string): number => {
      const a = after.get(name)!.contextSwitches!;
      const b = before.get(name)!.contextSwitches!;
      return Math.round(((a.voluntary + a.involuntary - b.voluntary - b.involuntary) / COUNT) * 10) / 10;
    };
    const hops = Object.fromEntries(ROLES.map((r) => [r, perMail(r)]));
    Object.assign(floorReport, {
      mails: COUNT, connections: CONNECTIONS, mailsPerSecond: Math.round(COUNT / seconds),
      cpuMsPerMail: { ...hops, threeHops: Math.round(Object.values(hops).reduce((a, b) => a + b, 0) * 1000) / 1000, 'nats-server': perMail('nats-server'), 'mongo-stand-in': perMail('mongo-stand-in') },
      contextSwitchesPerMail: Object.fromEntries(pids.map((p) => [p.name, switches(p.name)])),
      compare: 'ingest ≈ smtp-in, parser ≈ relay, appointment ≈ store: `./dev load --own --preload 1000 --no-profile` beside it, flat-out phase, cpuMsPerInvitation',
    });
  }, 600_000);

  test('the parse and the sender checks the product must run per mail, in one process: each gives its result; CPU per mail', async () => {
    // Arrange: the same mails; DNS answered "no such domain" at once (as a warm cache would
    // answer for partner.example), so only the libraries' own work is timed.
    const mails = Array.from({ length: 500 }, (_, i) => invitation(i).raw);
    const nxdomain = async (): Promise<never> => { throw Object.assign(new Error('queryTxt ENOTFOUND'), { code: 'ENOTFOUND' }); };
    const ctx = { mailId: 'floor', envelopeFrom: 'organizer@partner.example', envelopeTo: ['floor-0@floor.test'] };
    const parse = async (raw: Buffer): Promise<string> => (await parseMail(raw, ctx)).kind;
    const senderChecks = async (raw: Buffer): Promise<string> => {
      // As services/parser auth/mail-checks.ts runs them (DKIM, SPF, DMARC; no ARC set here).
      const dkim = await dkimVerify(raw, { resolver: nxdomain, sender: ctx.envelopeFrom });
      const spfResult = await spf({ sender: ctx.envelopeFrom, ip: '127.0.0.1', helo: 'partner.example', mta: 'floor.test', resolver: nxdomain } as Parameters<typeof spf>[0]);
      const dmarc = await evaluateDmarc({ headerFrom: dkim.headerFrom, fromFields: dkim.fromFields, spfDomains: [], dkimDomains: [], arcResult: {} as never, resolver: nxdomain } as Parameters<typeof evaluateDmarc>[0]);
      return `${spfResult.status.result}/${dmarc.response ? dmarc.response.status.result : 'none'}`;
    };
    const cpuMsPerMail = async (work: (raw: Buffer) => Promise<string>, rounds: number): Promise<{ ms: number; results: Set<string> }> => {
      const results = new Set<string>();
      for (const raw of mails.slice(0, 100)) await work(raw); // JIT warm-up
      const c0 = process.cpuUsage();
      for (let r = 0; r < rounds; r++) for (const raw of mails) results.add(await work(raw));
      const c = process.cpuUsage(c0);
      return { ms: Math.round(((c.user + c.system) / 1000 / (rounds * mails.length)) * 1000) / 1000, results };
    };

    // Act
    const parsed = await cpuMsPerMail(parse, 4);
    const checked = await cpuMsPerMail(senderChecks, 4);

    // Assert: every mail parsed as an invitation; every check came to a verdict
    expect([...parsed.results]).toEqual(['parsed']);
    expect(checked.results.size).toBeGreaterThan(0);
    for (const r of checked.results) expect(r).toMatch(/^[a-z]+\/[a-z]+$/);
    // The hops come from the test before (absent when this one runs alone: then no sum).
    const hops = (floorReport['cpuMsPerMail'] as Record<string, number> | undefined)?.['threeHops'];
    writeBenchReport('hop-floor', {
      ...floorReport,
      librariesCpuMsPerMail: { parseMail: parsed.ms, senderChecks: checked.ms },
      threeHopsWithLibraries: hops === undefined ? null : Math.round((hops + parsed.ms + checked.ms) * 1000) / 1000,
      senderCheckResults: [...checked.results],
    });
  }, 600_000);
});
