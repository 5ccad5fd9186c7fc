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
// process) with its database, a GreenMail of its own (512 MiB heap: it keeps mail in memory),
// a NATS of its own, the run's MongoDB. (1) Drain: BENCH_MAILBOX_MAILS invitations APPENDed
// first, then ingest started; mails/s until the checkpoint passes the last one (each mail:
// fetch, store in the object store, dedupe look-up, publish + ack, record, checkpoint, flag).
// (2) Latency under IDLE: one APPEND at a time on a quiet mailbox, time until mail.received.v1
// is seen on NATS; a pause before each so the poller is back in IDLE (it starts IDLE 1 s after
// its last command).
const MAILS = Number(process.env['BENCH_MAILBOX_MAILS'] ?? 10_000);
const SAMPLES = Number(process.env['BENCH_MAILBOX_IDLE_SAMPLES'] ?? 100);
const IDLE_SETTLE_MS = 1500;

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
  let ingest: InProcessRunning | undefined;
  let nats: NatsHandle | undefined;
  let appender: ImapFlow;
  const newAppender = (): ImapFlow =>
    new ImapFlow({ host: def.host, port: def.port, secure: false, auth: { user: def.auth.user, pass: (def.auth as { password: string }).password }, logger: false });

  beforeAll(async () => {
    mail = await startLocalMailServer(infraPaths(), { name: 'greenmail-ingest-bench', heapMb: 512 });
    mongo = await connectMongo({ url: testMongoUrl(), dbName, appName: 'ingest-mailbox-bench' });
    def = await greenMailMailbox({}, mail);
    await new MailboxRepository(mongo.db).save(def, new Date());
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
    report['loadAfter'] = loadavg().map((x) => Math.round(x * 100) / 100);
    writeBenchReport('ingest-mailbox-bench', report);
  });

  test(`drain: ${MAILS} invitations already in the mailbox`, async () => {
    const t0 = performance.now();
    let lastUid = 0;
    for (let i = 0; i < MAILS; i++) {
      const appended = await appender.append('INBOX', invitation(`<bench-${i}-${uniqueSuffix()}@example.net>`));
      lastUid = appended ? Number(appended.uid ?? 0) : 0;
    }
    // GreenMail drops a connection left idle through the drain: the latency test opens its own.
    await appender.logout();
    report['appendPerSecond'] = Math.round((MAILS / (performance.now() - t0)) * 1000);

    const started = performance.now();
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
    const steady = first ? ((lastUid - first.uid) / (end - first.at)) * 1000 : Number.NaN;

    const info = await nats.jsm.streams.info(STREAMS.mail.name);
    report['drain'] = {
      secondsWithStart: Math.round((end - started) / 100) / 10, mailsPerSecond: Math.round(steady * 10) / 10,
      mailsPerSecondWithStart: Math.round((MAILS / (end - started)) * 1000 * 10) / 10, announced: info.state.messages,
    };
    expect(info.state.messages).toBe(MAILS);
  });

  test(`latency under IDLE: APPEND → mail.received.v1, ${SAMPLES} mails one at a time`, async () => {
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
    appender = newAppender();
    await appender.connect();
    for (let i = 0; i < SAMPLES; i++) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
      const id = `<idle-${i}-${uniqueSuffix()}@example.net>`;
      const arrived = new Promise<void>((resolve) => waiting.set(id, resolve));
      const t = performance.now();
      await appender.append('INBOX', invitation(id));
      await arrived;
      latencies.push(seen.get(id)! - t);
    }
    sub.unsubscribe();
    report['idleLatencyMs'] = stats(latencies);
    expect(latencies).toHaveLength(SAMPLES);
  });
});
