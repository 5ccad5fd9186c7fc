// Issue 8, finding 1: every raw-mail read left an ordered consumer on OBJ_<bucket> for five
// minutes, so read number 1 001 failed with "maximum consumers limit reached" (the server's
// default per stream) and the pipeline stalled. 5 000 reads go well past that limit.
import { randomBytes } from 'node:crypto';
import { Objm } from '@nats-io/obj';
import { connectForTest } from './int-test.support';
import type { NatsHandle } from './nats.connection';
import { openRawMailStore, type RawMailRef, type RawMailStore } from './raw-mail.store';

const OBJECTS = 5_000;
const CONCURRENCY = 16;

let conn: NatsHandle;
let bucket: string;
let store: RawMailStore;

beforeAll(async () => {
  conn = await connectForTest();
  bucket = `raw-mail-leak-${randomBytes(5).toString('hex')}`;
  store = await openRawMailStore(conn.nc, { bucket });
});

afterAll(async () => {
  await (await new Objm(conn.nc).open(bucket)).destroy();
  await conn.drain();
});

/** Runs `work` over `items` with at most `limit` at once; resolves with results in order. */
async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

describe('raw mail store: reads leave nothing behind on the server', () => {
  test('When 5 000 stored mails are each read once, then every read succeeds and the bucket stream has no consumer left', async () => {
    // Arrange
    const names = Array.from({ length: OBJECTS }, (_, i) => `<leak-${i}@mail.example.com>`);
    const refs = await inBatches(names, CONCURRENCY, (name) => store.put(name, Buffer.from(`From: a@example.com\r\n\r\nmail ${name}`)));

    // Act
    const sizes = await inBatches(refs, CONCURRENCY, async (ref: RawMailRef) => (await store.get(ref.name, ref.sha256)).byteLength);

    // Assert
    expect(sizes).toEqual(refs.map((ref) => ref.size));
    const info = await conn.jsm.streams.info(`OBJ_${bucket}`);
    expect(info.state.consumer_count).toBe(0);
    const listed: string[] = [];
    for await (const consumer of conn.jsm.consumers.list(`OBJ_${bucket}`)) listed.push(consumer.name);
    expect(listed).toEqual([]);
  }, 180_000);
});
