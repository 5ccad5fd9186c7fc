// Helpers for this library's *.int.test.ts files only (not exported from index.ts). The
// server comes from the Jest global set-up through NATS_URL; every test names its own
// streams and subjects so tests sharing that server never collide.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ConsumerSpec, StreamSpec } from '@inviteflow/contracts';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from './logger.types';
import { connectNats, type NatsHandle } from './nats.connection';
import type { NatsClientAuth } from './nats.auth';
import { nkeySeedFileName, type NatsIdentity } from './nats.permissions';
import type { RunningConsumer } from './consumer.types';
import type { RetryPolicy } from './retry.policy';
import { provisionConsumer, provisionStreams } from './stream.provisioner';

export function testNatsUrl(): string {
  const url = process.env['NATS_URL'];
  if (!url) throw new Error('NATS_URL is not set: integration tests run under the Jest global set-up');
  return url;
}

/** The run's broad `test` credential from the global set-up (libs/testing testNatsAuth, which this library cannot import). */
export function testAuth(identity: NatsIdentity = 'test'): NatsClientAuth | undefined {
  const dir = process.env['INVITEFLOW_NATS_CREDENTIALS_DIR'];
  return dir ? { mode: 'nkey', seedFile: join(dir, nkeySeedFileName(identity)) } : undefined;
}

export function connectForTest(): Promise<NatsHandle> {
  return connectNats({ servers: testNatsUrl(), name: `messaging-int-test-${process.pid}`, auth: testAuth() });
}

export interface TestTopology {
  /** Work stream capturing `<prefix>.>`. */
  readonly stream: StreamSpec;
  /** Dead-letter stream capturing `dlq.<prefix>.>`, standing in for the shared DLQ stream. */
  readonly deadLetter: StreamSpec;
  readonly subject: string;
  readonly prefix: string;
}

/** A fresh stream pair per test: `T_<hex>` on `t<hex>.>` and `TDLQ_<hex>` on `dlq.t<hex>.>`. */
export function testTopology(): TestTopology {
  const suffix = randomBytes(5).toString('hex');
  const prefix = `t${suffix}`;
  const base = { duplicateWindowMs: 60_000, maxAgeMs: 10 * 60_000 };
  return {
    prefix,
    subject: `${prefix}.event.v1`,
    stream: { name: `T_${suffix}`, subjects: [`${prefix}.>`], ...base },
    deadLetter: { name: `TDLQ_${suffix}`, subjects: [`dlq.${prefix}.>`], ...base },
  };
}

export async function provisionTopology(jsm: JetStreamManager, topology: TestTopology): Promise<void> {
  await provisionStreams(jsm, [topology.stream, topology.deadLetter]);
}

export async function deleteStreams(jsm: JetStreamManager, names: readonly string[]): Promise<void> {
  await Promise.all(names.map((name) => jsm.streams.delete(name).catch(() => false)));
}

/** Polls until `probe` returns something other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface RecordedLog {
  readonly level: 'info' | 'warn' | 'error' | 'debug';
  readonly obj: object;
  readonly msg: string | undefined;
}

/** A Logger that keeps what it was told, so a test can assert on codes. */
export function recordingLogger(): Logger & { readonly entries: RecordedLog[] } {
  const entries: RecordedLog[] = [];
  const at = (level: RecordedLog['level']) => (obj: object, msg?: string) => {
    entries.push({ level, obj, msg });
  };
  return { entries, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}

/** What `useTopologyFixture` gives each test: read the fields inside tests, not at load time. */
export interface TopologyFixture {
  readonly conn: NatsHandle;
  readonly topology: TestTopology;
}

/**
 * One connection per file; per test a fresh stream and dead-letter stream, removed after the
 * test (so tests never see each other's messages). `afterEachTest` runs before the removal.
 */
export function useTopologyFixture(afterEachTest: () => Promise<unknown> = async () => undefined): TopologyFixture {
  const fx = {} as { conn: NatsHandle; topology: TestTopology };
  beforeAll(async () => {
    fx.conn = await connectForTest();
  });
  afterAll(async () => {
    await fx.conn.drain();
  });
  beforeEach(async () => {
    fx.topology = testTopology();
    await provisionTopology(fx.conn.jsm, fx.topology);
  });
  afterEach(async () => {
    await afterEachTest();
    await deleteStreams(fx.conn.jsm, [fx.topology.stream.name, fx.topology.deadLetter.name]);
  });
  return fx;
}

/** What `useConsumerFixture` gives each test: read the fields inside tests, not at load time. */
export interface ConsumerFixture extends TopologyFixture {
  readonly spec: ConsumerSpec;
  /** Consumers a test started; stopped after it. */
  readonly running: RunningConsumer[];
}

/** `useTopologyFixture` plus, per test, a durable consumer `worker` with `policy`. */
export function useConsumerFixture(policy: RetryPolicy): ConsumerFixture {
  const running: RunningConsumer[] = [];
  const base = useTopologyFixture(() => Promise.all(running.splice(0).map((consumer) => consumer.stop(2000))));
  const fx = {
    running,
    get conn() { return base.conn; },
    get topology() { return base.topology; },
    spec: undefined as unknown as ConsumerSpec,
  };
  beforeEach(async () => {
    fx.spec = { stream: base.topology.stream.name, durable: 'worker', filterSubject: base.topology.subject };
    await provisionConsumer(base.conn.jsm, fx.spec, policy);
  });
  return fx;
}
