import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Binary, BSONRegExp, Decimal128, Document, Int32, Long, MongoClient, ObjectId, Timestamp, Double } from 'mongodb';
import { LocalMongo, StandInBackend, startLocalMongo } from './local-mongo';
import { infraPaths } from './paths';

// The launcher's H2 storage format 2 (tools/mongo-stand-in/MongoStandIn.java, StandInStore):
// documents as BSON (held as BSON bytes in memory too, decoded per read), unique-index keys
// compared by value. These check what it must not change: what a client reads back (the memory backend,
// which serializes nothing, is the oracle), which writes a unique index refuses, and that a
// file written before format 2 (fixtures/legacy-stand-in.mv.db.gz, made by
// fixtures/make-legacy-stand-in-file.mjs with the old launcher) still opens.

const READ = { promoteValues: false, promoteLongs: false } as const;

async function withStandIn<T>(backend: StandInBackend, name: string, run: (client: MongoClient) => Promise<T>): Promise<T> {
  const mongo: LocalMongo = await startLocalMongo(infraPaths(), { backend, heapMb: 256, name });
  const client = await MongoClient.connect(mongo.url, { serverSelectionTimeoutMS: 10_000 });
  try {
    return await run(client);
  } finally {
    await client.close();
    await mongo.proc.stop();
  }
}

/** One document with a value of every BSON type the services or the driver may store. */
function everyType(i: number): Document & { _id: string } {
  return {
    _id: `t${i}`, int32: new Int32(7 + i), int64: Long.fromString('9007199254740993'), double: new Double(1.5), decimal: Decimal128.fromString('12.345'),
    text: `zoë ✓ ${i}`, empty: '', objectId: new ObjectId('65a1b2c3d4e5f60718293a4b'), date: new Date(Date.UTC(2026, 6, 1, 9, 30)), nothing: null, yes: true,
    nested: { a: [1, 'two', { three: 3 }], b: { c: new Date(0) } }, binary: new Binary(Buffer.from([0, 1, 2, 255])), regex: new BSONRegExp('^a.c$', 'i'),
    ts: new Timestamp({ t: 1_700_000_000, i: 3 }), list: [], dotted: { 'x-y': 1 },
  };
}

/** Unique-key values of different types; which inserts a unique index refuses must not change. */
const KEYS: unknown[] = [new Int32(1), Long.fromNumber(1), new Double(1), '1', null, new Double(2.5), 'a', 'A', new ObjectId('65a1b2c3d4e5f60718293a4b'), { a: 1 }, { a: 1 }, [3], 3, true, 'a'];

async function uniqueOutcomes(client: MongoClient): Promise<string[]> {
  const c = client.db('format').collection<{ _id: string; k?: unknown }>('keys');
  await c.createIndex({ k: 1 }, { unique: true });
  const outcomes: string[] = [];
  for (const [i, k] of KEYS.entries()) {
    try {
      await c.insertOne({ _id: `k${i}`, k });
      outcomes.push('stored');
    } catch (err) {
      outcomes.push(`refused ${(err as { code?: number }).code}`);
    }
  }
  try {
    await c.insertOne({ _id: 'missing' });
    outcomes.push('missing stored');
  } catch (err) {
    outcomes.push(`missing refused ${(err as { code?: number }).code}`);
  }
  return outcomes;
}

describe('The stand-in H2 storage format', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stand-in-format-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('Given documents of every BSON type and a unique index over mixed key types, when stored in H2 and read after a restart, then reads and refusals equal the memory backend', async () => {
    // Arrange
    const docs = [0, 1, 2].map(everyType);
    const h2: StandInBackend = { kind: 'h2', file: join(dir, 'db.mv') };
    const write = async (client: MongoClient): Promise<{ docs: Document[]; outcomes: string[] }> => {
      const c = client.db('format').collection<Document & { _id: string }>('types');
      await c.insertMany(docs.map((d) => ({ ...d })));
      await c.updateOne({ _id: 't1' }, { $set: { 'nested.b.c': new Date(1000) }, $inc: { int32: 1 }, $push: { list: 'x' } } as Document);
      return { docs: await c.find({}, READ).sort({ _id: 1 }).toArray(), outcomes: await uniqueOutcomes(client) };
    };
    const reread = async (client: MongoClient): Promise<{ docs: Document[]; outcomes: string[] }> => {
      const c = client.db('format').collection<{ _id: string; k?: unknown }>('keys');
      const again = await c.insertOne({ _id: 'again', k: 'a' }).then(() => 'stored', (err: { code?: number }) => `refused ${err.code}`);
      return { docs: await client.db('format').collection('types').find({}, READ).sort({ _id: 1 }).toArray(), outcomes: [again] };
    };
    // Act
    const memory = await withStandIn({ kind: 'memory' }, 'stand-in-format-memory', write);
    const beforeRestart = await withStandIn(h2, 'stand-in-format-h2', write);
    const afterRestart = await withStandIn(h2, 'stand-in-format-h2', reread);
    // Assert
    expect(memory.docs).toHaveLength(3);
    expect(beforeRestart.docs).toEqual(memory.docs);
    expect(afterRestart.docs).toEqual(memory.docs);
    expect(beforeRestart.outcomes).toEqual(memory.outcomes);
    expect(memory.outcomes.filter((o) => o.startsWith('refused'))).not.toHaveLength(0);
    expect(afterRestart.outcomes).toEqual(['refused 11000']);
  }, 240_000);

  test('Given an H2 file written before format 2, when opened, then its documents read back and its unique indexes (rebuilt once) still find and refuse, also after a restart', async () => {
    // Arrange
    const file = join(dir, 'db.mv');
    writeFileSync(file, gunzipSync(readFileSync(join(__dirname, 'fixtures', 'legacy-stand-in.mv.db.gz'))));
    const backend: StandInBackend = { kind: 'h2', file };
    const code = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'stored', (err: { code?: number }) => err.code);
    // Act
    const first = await withStandIn(backend, 'stand-in-format-legacy', async (client) => {
      const meetings = client.db('legacy').collection('meetings');
      const outbox = client.db('legacy').collection('outbox');
      const anOutboxDoc = await outbox.findOne({ n: 4 });
      return {
        count: await meetings.countDocuments(),
        m7: await meetings.findOne({ _id: 'm7' } as Document),
        byUid: await meetings.findOne({ uid: 'u123@partner.test' }),
        byPair: await meetings.findOne({ associateId: 'a3', seq: 13 }),
        dupUid: await code(meetings.insertOne({ _id: 'dup', uid: 'u5@partner.test', associateId: 'z', seq: -1 } as Document)),
        dupPair: await code(meetings.insertOne({ _id: 'dup', uid: 'new@partner.test', associateId: 'a1', seq: 1 } as Document)),
        renamed: (await meetings.updateOne({ _id: 'm8', version: 4 } as Document, { $set: { uid: 'u8-renamed@partner.test' }, $inc: { version: 1 } })).matchedCount,
        outboxCount: await outbox.countDocuments(),
        outboxById: anOutboxDoc ? await outbox.findOne({ _id: anOutboxDoc._id }) : null,
      };
    });
    const second = await withStandIn(backend, 'stand-in-format-legacy', async (client) => {
      const meetings = client.db('legacy').collection('meetings');
      return {
        byNewUid: await meetings.findOne({ uid: 'u8-renamed@partner.test' }),
        byOldUid: await meetings.findOne({ uid: 'u8@partner.test' }),
        freedUid: await code(meetings.insertOne({ _id: 'm8-again', uid: 'u8@partner.test', associateId: 'z', seq: -8 } as Document)),
        dupUid: await code(meetings.insertOne({ _id: 'dup', uid: 'u5@partner.test', associateId: 'z', seq: -1 } as Document)),
      };
    });
    // Assert
    expect(first.count).toBe(300);
    expect(first.m7).toEqual({
      _id: 'm7', version: 3, uid: 'u7@partner.test', associateId: 'a7', seq: 7, start: new Date(Date.UTC(2026, 0, 1) + 7 * 60_000),
      body: { summary: 'Meeting 7', attendees: [{ address: 'x7@partner.test', partstat: 'NEEDS-ACTION' }] },
    });
    expect(first.byUid?._id).toBe('m123');
    expect(first.byPair?._id).toBe('m13');
    expect(first.dupUid).toBe(11000);
    expect(first.dupPair).toBe(11000);
    expect(first.renamed).toBe(1);
    expect(first.outboxCount).toBe(20);
    expect(first.outboxById).toMatchObject({ n: 4, kind: 'mail' });
    expect(second.byNewUid).toMatchObject({ _id: 'm8', version: 5 });
    expect(second.byOldUid).toBeNull();
    expect(second.freedUid).toBe('stored');
    expect(second.dupUid).toBe(11000);
  }, 240_000);
});
