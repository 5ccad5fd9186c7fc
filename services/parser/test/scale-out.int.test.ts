import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { CONSUMERS, RAW_MAIL_BUCKET, STREAMS, SUBJECTS } from '@inviteflow/contracts';
import { findWorkspaceRoot, provisionInfrastructure, type ProvisionedInfra } from '@inviteflow/infra';
import {
  connectNats, DEFAULT_RETRY_POLICY, openRawMailStore, provisionConsumer, provisionStreams, publish, type NatsHandle, type RawMailStore,
} from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { buildImipMessage, serviceNatsEnv, testNatsAuth, uniqueSuffix } from '@inviteflow/testing';

// Issue 4, point 9: two parser processes on one durable consumer share the load, and every
// mail ends in exactly one outcome. Real processes (the built bundle) on a NATS of their own,
// so the stream names the parser hard-codes never collide with other tests.
const root = findWorkspaceRoot(__dirname);
const parserBundle = join(root, 'dist/services/parser/main.js');

type Kind = 'parsed' | 'ignored' | 'rejected';
const MAILS: Record<Kind, number> = { parsed: 240, ignored: 30, rejected: 30 };
const TOTAL = MAILS.parsed + MAILS.ignored + MAILS.rejected;

interface ParserProcess {
  child: ChildProcess;
  healthPort: number;
  /** Every stdout line, for the failure message when something goes wrong. */
  lines: string[];
}

/** Starts dist/services/parser/main.js and resolves on its `service.started` line. */
function startParser(natsUrl: string): Promise<ParserProcess> {
  const child = spawn(process.execPath, ['--enable-source-maps', parserBundle], {
    env: { ...process.env, NATS_URL: natsUrl, ...serviceNatsEnv('parser'), HEALTH_HOST: '127.0.0.1', HEALTH_PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '5000', CONSUMER_CONCURRENCY: '4' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`parser did not start within 30 s:\n${lines.join('\n')}\n${stderr}`));
    }, 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const started = startedPorts(line);
      if (started) {
        clearTimeout(timer);
        resolve({ child, healthPort: started['health'] ?? 0, lines });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`parser exited with ${code} while starting:\n${lines.join('\n')}\n${stderr}`));
    });
  });
}

function startedPorts(line: string): Record<string, number> | undefined {
  if (!line.includes('service.started')) return undefined;
  const parsed = JSON.parse(line) as { event?: string; ports?: Record<string, number> };
  return parsed.event === 'service.started' ? parsed.ports : undefined;
}

function stopParser(p: ParserProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => p.child.kill('SIGKILL'), 8000);
    p.child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    p.child.kill('SIGTERM');
  });
}

/** Mails this process handled, from its own /metrics (inviteflow_parse_outcomes_total, all labels). */
async function handledBy(p: ParserProcess): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${p.healthPort}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('inviteflow_parse_outcomes_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** A mail of the given kind: a well-formed REQUEST, a plain text mail, or a VEVENT without UID. */
function mailOf(kind: Kind, i: number, suffix: string): Buffer {
  const invite = buildImipMessage({
    uid: `scale-${suffix}-${i}`, organizer: 'organizer@example.net', attendees: ['homer@example.org'],
    start: new Date(Date.UTC(2026, 2, 1, 9) + i * 3_600_000), durationMinutes: 30,
  });
  switch (kind) {
    case 'parsed':
      return invite;
    case 'ignored':
      return Buffer.from(`From: a@example.net\r\nTo: homer@example.org\r\nSubject: lunch ${i}\r\nMessage-ID: <plain-${i}@example.net>\r\n\r\nNo calendar here.\r\n`);
    case 'rejected':
      return Buffer.from(invite.toString('utf8').replace(/^UID:.*\r\n/m, ''));
    default: {
      const never: never = kind;
      throw new Error(`unknown kind ${String(never)}`);
    }
  }
}

/** Stores the raw bytes, then announces them on mail.received.v1, as ingest does. */
async function receive(js: JetStreamClient, store: RawMailStore, mailId: string, raw: Buffer): Promise<void> {
  const ref = await store.put(mailId, raw);
  const event = eventsV1.MailReceived.encode({
    mailId, objectStore: RAW_MAIL_BUCKET, objectName: ref.name, sha256: ref.sha256, size: ref.size,
    envelopeFrom: 'organizer@example.net', envelopeTo: ['homer@example.org'], messageId: `<${mailId}@example.net>`,
    receivedAt: new Date(), source: 'smtp', rawInline: Buffer.alloc(0), // by reference: this test counts object-store consumers
  }).finish();
  await publish(js, SUBJECTS.mailReceivedV1, event, { msgId: mailId });
}

/** Every message stored on one subject, read after the fact with an ordered consumer. */
async function readSubject(nats: NatsHandle, stream: string, subject: string): Promise<Uint8Array[]> {
  const count = await subjectCount(nats.jsm, stream, subject);
  if (count === 0) return [];
  const consumer = await nats.js.consumers.get(stream, { filter_subjects: [subject] });
  const messages = await consumer.consume();
  const payloads: Uint8Array[] = [];
  for await (const m of messages) {
    payloads.push(m.data);
    if (m.info.pending === 0) break;
  }
  return payloads;
}

async function subjectCount(jsm: JetStreamManager, stream: string, subject: string): Promise<number> {
  const info = await jsm.streams.info(stream, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}

/** Resolves once the parser consumer has nothing pending or unacknowledged left. */
async function drained(jsm: JetStreamManager, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await jsm.consumers.info(CONSUMERS.parser.stream, CONSUMERS.parser.durable);
    if (info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0) return;
    if (Date.now() > deadline) throw new Error(`parser consumer not drained: ${info.num_pending} pending, ${info.num_ack_pending} unacked`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('two parser processes on one durable consumer', () => {
  let infra: ProvisionedInfra;
  let nats: NatsHandle;
  const parsers: ParserProcess[] = [];

  beforeAll(async () => {
    if (!existsSync(parserBundle)) throw new Error(`${parserBundle} is missing: run npx nx run parser:build (or ./dev build) first`);
    infra = await provisionInfrastructure({
      purpose: 'test', instance: `scale-${uniqueSuffix()}`, env: { ...process.env, NATS_URL: '', MONGO_URL: process.env['MONGO_URL'] },
    });
    nats = await connectNats({ servers: infra.natsUrl, name: 'scale-out-test', auth: testNatsAuth() });
    // Provisioned once up front, so the two processes never race to create the same stream.
    await provisionStreams(nats.jsm, Object.values(STREAMS));
    await provisionConsumer(nats.jsm, CONSUMERS.parser, DEFAULT_RETRY_POLICY);
    parsers.push(...(await Promise.all([startParser(infra.natsUrl), startParser(infra.natsUrl)])));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(parsers.map(stopParser));
    await nats?.drain();
    await infra?.stop();
  }, 60_000);

  test('When 300 mails arrive, then both share the work and every mail ends in exactly one outcome', async () => {
    // Arrange
    const suffix = uniqueSuffix();
    const expected = new Map<string, Kind>();
    (Object.keys(MAILS) as Kind[]).forEach((kind) => {
      for (let i = 0; i < MAILS[kind]; i++) expected.set(`mail-${suffix}-${kind}-${i}`, kind);
    });
    const store = await openRawMailStore(nats.nc);
    const ids = [...expected.keys()].sort(() => Math.random() - 0.5); // kinds interleaved

    // Act
    for (let at = 0; at < ids.length; at += 25) {
      await Promise.all(ids.slice(at, at + 25).map((id, j) => receive(nats.js, store, id, mailOf(expected.get(id)!, at + j, suffix))));
    }
    await drained(nats.jsm, 20_000);

    // Assert: each process handled a share
    const shares = await Promise.all(parsers.map(handledBy));
    for (const share of shares) expect(share).toBeGreaterThan(0);
    // More than TOTAL only if a delivery was retried, which JetStream allows; fewer means a loss.
    expect(shares[0]! + shares[1]!).toBeGreaterThanOrEqual(TOTAL);

    // Assert: one outcome per mail, of the expected kind, across the three outcome subjects
    const parsed = (await readSubject(nats, STREAMS.invite.name, SUBJECTS.inviteParsedV1)).map((d) => eventsV1.InviteParsed.decode(d).mailId);
    const ignored = (await readSubject(nats, STREAMS.mail.name, SUBJECTS.mailIgnoredV1)).map((d) => eventsV1.MailOutcome.decode(d).mailId);
    const rejected = (await readSubject(nats, STREAMS.mail.name, SUBJECTS.mailRejectedV1)).map((d) => eventsV1.MailOutcome.decode(d).mailId);
    const outcomes = [
      ...parsed.map((id) => [id, 'parsed'] as const),
      ...ignored.map((id) => [id, 'ignored'] as const),
      ...rejected.map((id) => [id, 'rejected'] as const),
    ];
    expect(outcomes).toHaveLength(TOTAL);
    expect(new Map(outcomes)).toEqual(expected); // no mail missing, none twice, each as expected
    expect((await nats.jsm.streams.info(STREAMS.deadLetter.name)).state.messages).toBe(0);
  }, 30_000);
});
