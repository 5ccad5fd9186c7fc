import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { uniqueSuffix, testNatsConnectOptions } from '@inviteflow/testing';
import { scanStream } from '../src/commands/stream.scan';

describe('scanning a stream for messages by content', () => {
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const stream = `T_SCAN_${uniqueSuffix()}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');

  beforeAll(async () => {
    nc = await connect({ servers: process.env['NATS_URL']!, ...testNatsConnectOptions() });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    // Arrange (shared): five messages on .a, one on .b
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
    for (let i = 1; i <= 5; i++) await js.publish(`${stream}.a`, new TextEncoder().encode(`a${i}`));
    await js.publish(`${stream}.b`, new TextEncoder().encode('b1'));
  });

  afterAll(async () => {
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
  });

  const read = async (req: Partial<Parameters<typeof scanStream>[1]>): Promise<{ seen: string[]; stats: Awaited<ReturnType<typeof scanStream>> }> => {
    const seen: string[] = [];
    const stats = await scanStream(js, { stream, subjects: [`${stream}.a`], limit: 100, ...req }, (m) => seen.push(new TextDecoder().decode(m.data)));
    return { seen, stats };
  };

  test('When the filter matches fewer messages than the limit, then all are read in order and nothing is truncated', async () => {
    const { seen, stats } = await read({});
    expect(seen).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(stats).toMatchObject({ matching: 5, scanned: 5, truncated: false, missingStream: false });
  });

  test('When the limit is reached first, then the scan stops there and says it was truncated', async () => {
    const { seen, stats } = await read({ limit: 2 });
    expect(seen).toEqual(['a1', 'a2']);
    expect(stats).toMatchObject({ matching: 5, scanned: 2, truncated: true });
  });

  test('When the sought message is found, then the scan stops early without calling it truncated', async () => {
    let found = false;
    const stats = await scanStream(js, { stream, subjects: [`${stream}.a`], limit: 100, done: () => found }, (m) => { found = new TextDecoder().decode(m.data) === 'a2'; });
    expect(stats).toMatchObject({ scanned: 2, truncated: false });
  });

  test('When the start time is after every message, or nothing matches, or the stream is missing, then nothing is read', async () => {
    expect((await read({ from: new Date(Date.now() + 60_000) })).stats).toMatchObject({ matching: 0, scanned: 0 });
    expect((await read({ subjects: [`${stream}.c`] })).stats).toMatchObject({ matching: 0, scanned: 0, truncated: false });
    expect((await read({ stream: `${stream}_NONE` })).stats).toMatchObject({ scanned: 0, missingStream: true });
  });

  test('When a scan ends, then its consumer is gone from the server', async () => {
    await read({});
    const names: string[] = [];
    for await (const c of jsm.consumers.list(stream)) names.push(c.name);
    expect(names).toEqual([]);
  });
});
