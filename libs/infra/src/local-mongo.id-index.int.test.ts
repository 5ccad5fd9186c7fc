import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collection, MongoClient } from 'mongodb';
import { LocalMongo, StandInBackend, startLocalMongo } from './local-mongo';
import { infraPaths } from './paths';

// The stand-in's launcher narrows any filter with an `_id` equality to the `_id` index
// (tools/mongo-stand-in/MongoStandIn.java, issue 14 pt 2). These check that the narrowed path
// matches exactly what a scan matched: the version guard still refuses a stale version, the
// rest of the filter still applies, and filters the patch leaves alone behave as before.
// Timings are in stand-in.guarded-update.bench.ts, not here.

type Doc = { _id: string; version: number; owner: string; tags?: string[] };

const backends: Array<[string, () => StandInBackend]> = [
  ['memory', () => ({ kind: 'memory' })],
  ['h2', () => ({ kind: 'h2', file: join(mkdtempSync(join(tmpdir(), 'stand-in-h2-')), 'db.mv') })],
];

describe.each(backends)('The stand-in (%s backend) with `_id` narrowing', (_name, backendOf) => {
  let mongo: LocalMongo;
  let client: MongoClient;
  let backend: StandInBackend;

  beforeAll(async () => {
    backend = backendOf();
    mongo = await startLocalMongo(infraPaths(), { backend, heapMb: 256, name: `stand-in-id-index-${_name}` });
    client = await MongoClient.connect(mongo.url, { serverSelectionTimeoutMS: 10_000 });
  }, 90_000);

  afterAll(async () => {
    await client?.close();
    await mongo?.proc.stop();
    if (backend?.kind === 'h2') rmSync(join(backend.file, '..'), { recursive: true, force: true });
  }, 30_000);

  const seeded = async (name: string): Promise<Collection<Doc>> => {
    const c = client.db('id_index').collection<Doc>(name);
    await c.insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: `m${i}`, version: 3, owner: `o${i % 7}`, tags: ['a', `t${i}`] })));
    return c;
  };

  test('Given a stored version 3, when a guarded update names version 2, then nothing changes; with version 3 exactly that document is updated', async () => {
    // Arrange
    const c = client.db('id_index').collection<Doc>('guard');
    await c.insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: `m${i}`, version: 3, owner: `o${i % 7}` })));
    // Act
    const stale = await c.updateOne({ _id: 'm42', version: 2 }, { $set: { owner: 'stale' }, $inc: { version: 1 } });
    const current = await c.updateOne({ _id: 'm42', version: 3 }, { $set: { owner: 'fresh' }, $inc: { version: 1 } });
    const again = await c.updateOne({ _id: 'm42', version: 3 }, { $set: { owner: 'late' }, $inc: { version: 1 } });
    // Assert
    expect(stale.matchedCount).toBe(0);
    expect(current.matchedCount).toBe(1);
    expect(again.matchedCount).toBe(0);
    expect(await c.findOne({ _id: 'm42' })).toEqual({ _id: 'm42', version: 4, owner: 'fresh' });
    expect(await c.countDocuments({ owner: { $in: ['stale', 'late', 'fresh'] } })).toBe(1);
  });

  test('Given an `_id` equality beside other conditions, when found, then every condition still applies', async () => {
    // Arrange
    const c = await seeded('mixed');
    // Act
    const hits = {
      match: await c.find({ _id: 'm8', owner: 'o1' }).toArray(),
      otherOwner: await c.find({ _id: 'm8', owner: 'o2' }).toArray(),
      operator: await c.find({ _id: 'm8', version: { $gte: 3 }, tags: 't8' }).toArray(),
      operatorMiss: await c.find({ _id: 'm8', version: { $gt: 3 } }).toArray(),
      unknownId: await c.find({ _id: 'nope', version: 3 }).toArray(),
      findAndModify: await c.findOneAndUpdate({ _id: 'm9', version: 3 }, { $inc: { version: 1 } }, { returnDocument: 'after' }),
      deleteStale: await c.deleteOne({ _id: 'm10', version: 1 }),
    };
    // Assert
    expect(hits.match.map((d) => d['_id'])).toEqual(['m8']);
    expect(hits.otherOwner).toEqual([]);
    expect(hits.operator.map((d) => d['_id'])).toEqual(['m8']);
    expect(hits.operatorMiss).toEqual([]);
    expect(hits.unknownId).toEqual([]);
    expect(hits.findAndModify).toMatchObject({ _id: 'm9', version: 4 });
    expect(hits.deleteStale.deletedCount).toBe(0);
    expect(await c.countDocuments({})).toBe(200);
  });

  test('Given filters the narrowing leaves alone, when run, then they match as before', async () => {
    // Arrange
    const c = await seeded('untouched');
    // Act / Assert: `_id` by operator, no `_id` at all, an `_id` inside $or
    expect((await c.find({ _id: { $in: ['m1', 'm2', 'x'] }, version: 3 }).toArray()).map((d) => d['_id']).sort()).toEqual(['m1', 'm2']);
    expect(await c.countDocuments({ owner: 'o3', version: 3 })).toBe(29);
    expect((await c.find({ $or: [{ _id: 'm5' }, { _id: 'm6' }], version: 3 }).toArray()).map((d) => d['_id']).sort()).toEqual(['m5', 'm6']);
    expect((await c.find({ _id: 'm7' }).toArray()).map((d) => d['_id'])).toEqual(['m7']);
  });
});

describe('The stand-in (h2 backend) with `_id` narrowing, after a clean restart', () => {
  test('Given documents written before a restart, when updated by `_id` and version after it, then the guard still holds', async () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), 'stand-in-h2-restart-'));
    const backend: StandInBackend = { kind: 'h2', file: join(dir, 'db.mv') };
    const first = await startLocalMongo(infraPaths(), { backend, heapMb: 256, name: 'stand-in-id-index-restart' });
    let client = await MongoClient.connect(first.url, { serverSelectionTimeoutMS: 10_000 });
    await client.db('id_index').collection<Doc>('kept').insertMany([{ _id: 'a', version: 1, owner: 'x' }, { _id: 'b', version: 5, owner: 'y' }]);
    await client.close();
    await first.proc.stop();
    const second = await startLocalMongo(infraPaths(), { backend, heapMb: 256, name: 'stand-in-id-index-restart' });
    try {
      client = await MongoClient.connect(second.url, { serverSelectionTimeoutMS: 10_000 });
      const c = client.db('id_index').collection<Doc>('kept');
      // Act
      const stale = await c.updateOne({ _id: 'b', version: 4 }, { $inc: { version: 1 } });
      const current = await c.updateOne({ _id: 'b', version: 5 }, { $inc: { version: 1 } });
      // Assert
      expect(stale.matchedCount).toBe(0);
      expect(current.matchedCount).toBe(1);
      expect(await c.find({}).sort({ _id: 1 }).toArray()).toEqual([{ _id: 'a', version: 1, owner: 'x' }, { _id: 'b', version: 6, owner: 'y' }]);
      await client.close();
    } finally {
      await second.proc.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
