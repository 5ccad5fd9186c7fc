import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ImapFlow } from 'imapflow';
import { STREAMS, SUBJECTS } from '@inviteflow/contracts';
import { infraPaths, type LocalMailServer, startLocalMailServer } from '@inviteflow/infra';
import { connectNats, type NatsHandle } from '@inviteflow/messaging';
import { connectMongo, type MongoConnection } from '@inviteflow/mongo';
import { eventsV1 } from '@inviteflow/proto-gen';
import { type InProcessRunning, startInProcess, testMongoUrl, testNatsAuth, uniqueSuffix, writeBenchReport } from '@inviteflow/testing';
import { ingestConfig } from '../src/config';
import { MailboxCheckpointRepository } from '../src/data/mailbox-checkpoint.repository';
import { MailboxRepository } from '../src/data/mailbox.repository';
import type { MailboxDefinition } from '../src/imap/mailbox.types';
import { start } from '../src/start';
import { greenMailMailbox, invitation } from '../test/imap.test-client';

// `./dev bench mailbox`. Ingest's mailbox intake, the whole path: real ingest (start(), in this
// process) with its database, a GreenMail of its own (512 MiB heap: it keeps mail in memory; 10 000
// invitations take ~30 MiB of it), a NATS of its own, the run's MongoDB. (1) Drain:
// BENCH_MAILBOX_MAILS invitations APPENDed first, then ingest started; mails/s until the
// checkpoint passes the last one (each mail: fetch, store in the object store, dedupe look-up,
// publish + ack, record, checkpoint, flag). (2) Latency under IDLE: one APPEND at a time, time
// until mail.received.v1 is seen on NATS; a pause before each so the poller is back in IDLE (it
// starts IDLE 1 s after its last command). Measured on a second, small mailbox
// (BENCH_MAILBOX_IDLE_SAMPLES), and a few times on the big one (BENCH_MAILBOX_BIG_IDLE_SAMPLES):
// GreenMail walks the whole folder for every UID command, quadratically (see ROUND in
// src/imap/mailbox.drain.ts), so on a folder of 10 000 its own time dominates there.
// GreenMail's CPU (from /proc) and this process's (ingest + the bench) are reported per phase.
const MAILS = Number(process.env['BENCH_MAILBOX_MAILS'] ?? 10_000);
const SAMPLES = Number(process.env['BENCH_MAILBOX_IDLE_SAMPLES'] ?? 100);
const BIG_SAMPLES = Number(process.env['BENCH_MAILBOX_BIG_IDLE_SAMPLES'] ?? 5);
const IDLE_SETTLE_MS = 1500;

/** CPU ms a process has used so far (utime + stime, /proc/<pid>/stat; clock ticks at the usual 100 Hz). */
function processCpuMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
const ownCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const load = (): number[] => loadavg().map((x) => Math.round(x * 100) / 100);

type Stats = { n: number; p50: number; p90: number; p99: number; max: number };
function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  const r = (x: number): number => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(at(50)), p90: r(at(90)), p99: r(at(99)), max: r(s[s.length - 1]!) };
}

describe('mailbox intake benchmark', () => {
  const dbName = `ingest_mailbox_bench_${uniqueSuffix()}`;
  const report: Record<string, unknown> = { when: new Date().toISOString(), mails: MAILS, loadBefore: loadavg().map((x) => Math.round(x * 100) / 100) };
  let mail: LocalMailServer;
  let mongo: MongoConnection;
  let def: MailboxDefinition;
  let quiet: MailboxDefinition;
  let ingest: InProcessRunning | undefined;
  let nats: NatsHandle | undefined;
  let appender: ImapFlow;
  const newAppender = (to: MailboxDefinition = def): ImapFlow =>
    new ImapFlow({ host: to.host, port: to.port, secure: false, auth: { user: to.auth.user, pass: (to.auth as { password: string }).password }, logger: false });
  const greenMailCpuMs = (): number => processCpuMs(mail.proc.child.pid);

  beforeAll(async () => {
    mail = await startLocalMailServer(infraPaths(), { name: 'greenmail-ingest-bench', heapMb: 512 });
    mongo = await connectMongo({ url: testMongoUrl(), dbName, appName: 'ingest-mailbox-bench' });
    def = await greenMailMailbox({}, mail);
    quiet = await greenMailMailbox({}, mail);
    // Both defined before ingest starts (it reads its mailboxes at start).
    for (const d of [def, quiet]) await new MailboxRepository(mongo.db).save(d, new Date());
    appender = newAppender();
    await appender.connect();
  }, 120_000);

  afterAll(async () => {
    await appender?.logout().catch(() => undefined);
    await nats?.drain();
    await ingest?.stop();
    await mongo?.db.dropDatabase().catch(() => undefined);
    await mongo?.close();
    await mail?.proc.stop();
    report['loadAfter'] = load();
    writeBenchReport('ingest-mailbox-bench', report);
  });

  test(`drain: ${MAILS} invitations already in the mailbox`, async () => {
    const t0 = performance.now();
    const appendCpu0 = greenMailCpuMs();
    let lastUid = 0;
    // A few connections append side by side: one at a time, a busy machine's round trips make
    // filling 10 000 take longer than the drain.
    const extra = await Promise.all([1, 2, 3].map(async () => {
      const client = newAppender();
      await client.connect();
      return client;
    }));
    let next = 0;
    await Promise.all([appender, ...extra].map(async (client) => {
      for (let i = next++; i < MAILS; i = next++) {
        const appended = await client.append('INBOX', invitation(`<bench-${i}-${uniqueSuffix()}@example.net>`));
        lastUid = Math.max(lastUid, appended ? Number(appended.uid ?? 0) : 0);
      }
    }));
    // GreenMail drops a connection left idle through the drain: the latency test opens its own.
    for (const client of [appender, ...extra]) await client.logout();
    report['append'] = { perSecond: Math.round((MAILS / (performance.now() - t0)) * 1000), greenMailCpuMsPerMail: Math.round(((greenMailCpuMs() - appendCpu0) / MAILS) * 100) / 100 };

    const started = performance.now();
    const [gm0, own0] = [greenMailCpuMs(), ownCpuMs()];
    ingest = await startInProcess({ service: 'ingest', schema: ingestConfig, start }, { MONGO_DB: dbName, ACCEPT_DOMAINS: 'example.org' });
    nats = await connectNats({ servers: ingest.natsUrl, name: 'ingest-mailbox-bench', auth: testNatsAuth() });
    const checkpoints = new MailboxCheckpointRepository(mongo.db);
    // The rate is taken from the first checkpoint seen after start-up to the last, so the start
    // of ingest (its NATS, connections) is not in it; the total with start-up is reported too.
    let first: { uid: number; at: number } | undefined;
    for (let uid = 0; uid !== lastUid; uid = (await checkpoints.read(def.id))?.lastUid ?? 0) {
      if (!first && uid > 0) first = { uid, at: performance.now() };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const end = performance.now();
    const [gmCpu, ownCpu] = [greenMailCpuMs() - gm0, ownCpuMs() - own0];
    const steady = first ? ((lastUid - first.uid) / (end - first.at)) * 1000 : Number.NaN;

    const info = await nats.jsm.streams.info(STREAMS.mail.name);
    report['drain'] = {
      secondsWithStart: Math.round((end - started) / 100) / 10, mailsPerSecond: Math.round(steady * 10) / 10,
      mailsPerSecondWithStart: Math.round((MAILS / (end - started)) * 1000 * 10) / 10, announced: info.state.messages,
      cpuMsPerMail: { greenMail: Math.round((gmCpu / MAILS) * 100) / 100, ingestAndBench: Math.round((ownCpu / MAILS) * 100) / 100 },
      loadAtEnd: load(),
    };
    expect(info.state.messages).toBe(MAILS);
  }, 60 * 60 * 1000);

  /** APPEND → mail.received.v1 under IDLE, `samples` times, one at a time, on `to`. */
  async function idleLatencies(to: MailboxDefinition, samples: number, tag: string): Promise<Record<string, unknown>> {
    const seen = new Map<string, number>();
    const waiting = new Map<string, () => void>();
    const sub = nats!.nc.subscribe(SUBJECTS.mailReceivedV1, {
      callback: (_err, msg) => {
        const id = eventsV1.MailReceived.decode(msg.data).messageId;
        seen.set(id, performance.now());
        waiting.get(id)?.();
      },
    });
    const latencies: number[] = [];
    const [gm0, own0] = [greenMailCpuMs(), ownCpuMs()];
    appender = newAppender(to);
    await appender.connect();
    for (let i = 0; i < samples; i++) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
      const id = `<${tag}-${i}-${uniqueSuffix()}@example.net>`;
      const arrived = new Promise<void>((resolve) => waiting.set(id, resolve));
      // GreenMail may drop the appender while it works a big folder (seen at 10 000): a new one.
      if (!appender.usable) {
        appender = newAppender(to);
        await appender.connect();
      }
      const t = performance.now();
      await appender.append('INBOX', invitation(id));
      await arrived;
      latencies.push(seen.get(id)! - t);
    }
    sub.unsubscribe();
    // GreenMail may have dropped it by now (a big folder): the samples are what counts.
    await appender.logout().catch(() => undefined);
    expect(latencies).toHaveLength(samples);
    return {
      ...stats(latencies),
      cpuMsPerMail: { greenMail: Math.round((greenMailCpuMs() - gm0) / samples), ingestAndBench: Math.round((ownCpuMs() - own0) / samples) },
      loadAtEnd: load(),
    };
  }

  test(`latency under IDLE: APPEND → mail.received.v1, ${SAMPLES} mails one at a time on a small mailbox`, async () => {
    report['idleLatencyMs'] = await idleLatencies(quiet, SAMPLES, 'idle');
  });

  test(`latency under IDLE on the mailbox of ${MAILS}: ${BIG_SAMPLES} mails`, async () => {
    report['idleLatencyMsBigFolder'] = await idleLatencies(def, BIG_SAMPLES, 'idle-big');
  });
});
