import { isDuplicateKeyError } from './mongo.errors';
import { ReadBatcher } from './read-batcher';
import { createRoundTripCounter } from './round-trip.counter';
import { useTestDatabase } from './test-database.fixture';
import { WriteBatcher } from './write-batcher';

type Item = { _id: string; n: number; group?: string; tags?: string[] };

describe('WriteBatcher (group commit)', () => {
  const test$ = useTestDatabase();

  test('When ten writes are submitted at once, then the first goes alone and the other nine share one bulk write', async () => {
    // Arrange
    const items = test$.db.collection<Item>('items');
    const batcher = new WriteBatcher(items);
    const counter = createRoundTripCounter(test$.connection.client);
    // Act
    const { roundTrips } = await counter.measure(() =>
      Promise.all(Array.from({ length: 10 }, (_, i) => batcher.write([{ updateOne: { filter: { _id: `i${i}` }, update: { $set: { n: i } }, upsert: true } }]))));
    counter.stop();
    // Assert
    expect(roundTrips).toEqual({ total: 2, byCommand: { update: 2 } });
    expect((await items.find().sort({ _id: 1 }).toArray()).map((d) => d.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('When one statement of a shared bulk write is refused, then only its submission fails (DUPLICATE_KEY) and the others are applied', async () => {
    // Arrange
    const items = test$.db.collection<Item>('items');
    await items.insertOne({ _id: 'taken', n: 0 });
    const batcher = new WriteBatcher(items);
    // Act: the first write is on the wire while the next three queue up together.
    const outcomes = await Promise.allSettled([
      batcher.write([{ insertOne: { document: { _id: 'a', n: 1 } } }]),
      batcher.write([{ insertOne: { document: { _id: 'b', n: 2 } } }]),
      batcher.write([{ insertOne: { document: { _id: 'taken', n: 3 } } }]),
      batcher.write([{ insertOne: { document: { _id: 'c', n: 4 } } }]),
    ]);
    // Assert
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(isDuplicateKeyError((outcomes[2] as PromiseRejectedResult).reason)).toBe(true);
    expect((await items.find().sort({ _id: 1 }).toArray()).map((d) => [d._id, d.n])).toEqual([['a', 1], ['b', 2], ['c', 4], ['taken', 0]]);
  });
});

describe('ReadBatcher (group read)', () => {
  const test$ = useTestDatabase();

  test('When look-ups are made while one read is on the wire, then they share the next find and each gets only its own documents', async () => {
    // Arrange
    const items = test$.db.collection<Item>('items');
    await items.insertMany([{ _id: 'x1', n: 1, group: 'x' }, { _id: 'x2', n: 2, group: 'x' }, { _id: 'y1', n: 3, group: 'y' }]);
    const byGroup = new ReadBatcher(items, 'group');
    const counter = createRoundTripCounter(test$.connection.client);
    // Act
    const { result, roundTrips } = await counter.measure(() => Promise.all(['x', 'y', 'z', 'x'].map((g) => byGroup.find(g))));
    counter.stop();
    // Assert
    expect(roundTrips).toEqual({ total: 2, byCommand: { find: 2 } });
    expect(result.map((docs) => docs.map((d) => d._id).sort())).toEqual([['x1', 'x2'], ['y1'], [], ['x1', 'x2']]);
  });

  test('When two look-ups of one key share a read, then each gets its own copy of the document', async () => {
    // Arrange
    const items = test$.db.collection<Item>('items');
    await items.insertOne({ _id: 'k', n: 1, tags: ['a'] });
    const byId = new ReadBatcher(items, '_id');
    // Act: the first read goes alone; the next two share one.
    const [, one, two] = await Promise.all([byId.findOne('other'), byId.findOne('k'), byId.findOne('k')]);
    one!.tags!.push('changed');
    // Assert
    expect(two).toEqual({ _id: 'k', n: 1, tags: ['a'] });
    expect(await byId.findOne('missing')).toBeUndefined();
  });
});
