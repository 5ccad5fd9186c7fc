import { createRoundTripCounter } from './round-trip.counter';
import { useTestDatabase } from './test-database.fixture';

type Item = { _id: number; n: number };

describe('createRoundTripCounter', () => {
  const test$ = useTestDatabase();

  test('When repository calls run inside measure, then each command counts as one round trip', async () => {
    // Arrange
    const counter = createRoundTripCounter(test$.connection.client);
    const items = test$.db.collection<Item>('items');

    // Act
    const { result, roundTrips } = await counter.measure(async () => {
      await items.insertOne({ _id: 1, n: 0 });
      await items.updateOne({ _id: 1 }, { $inc: { n: 1 } });
      return items.findOne({ _id: 1 });
    });
    counter.stop();

    // Assert
    expect(result).toEqual({ _id: 1, n: 1 });
    expect(roundTrips).toEqual({ total: 3, byCommand: { insert: 1, update: 1, find: 1 } });
  });

  test('When two measured messages share the client concurrently, then each is charged only its own round trips', async () => {
    // Arrange
    const counter = createRoundTripCounter(test$.connection.client);
    const items = test$.db.collection<Item>('items');
    await items.insertMany([
      { _id: 1, n: 0 },
      { _id: 2, n: 0 },
    ]);
    counter.reset();

    // Act
    const [one, three] = await Promise.all([
      counter.measure(() => items.findOne({ _id: 1 })),
      counter.measure(async () => {
        await items.updateOne({ _id: 2 }, { $inc: { n: 1 } });
        await items.updateOne({ _id: 2 }, { $inc: { n: 1 } });
        return items.findOne({ _id: 2 });
      }),
    ]);
    const overall = counter.snapshot();
    counter.stop();

    // Assert
    expect(one.roundTrips.total).toBe(1);
    expect(three.roundTrips).toEqual({ total: 3, byCommand: { update: 2, find: 1 } });
    expect(overall.total).toBe(4);
  });

  test('When a cursor needs several batches, then every getMore is a round trip', async () => {
    // Arrange
    const counter = createRoundTripCounter(test$.connection.client);
    const items = test$.db.collection<Item>('items');
    await items.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i, n: i })));

    // Act
    const { result, roundTrips } = await counter.measure(() => items.find({}).batchSize(100).toArray());
    counter.stop();

    // Assert
    expect(result).toHaveLength(250);
    expect(roundTrips).toEqual({ total: 3, byCommand: { find: 1, getMore: 2 } });
  });

  test('When measure calls are nested, then the outer one also counts the inner round trips', async () => {
    // Arrange
    const counter = createRoundTripCounter(test$.connection.client);
    const items = test$.db.collection<Item>('items');

    // Act
    const outer = await counter.measure(async () => {
      await items.insertOne({ _id: 1, n: 0 });
      return counter.measure(() => items.findOne({ _id: 1 }));
    });
    counter.stop();

    // Assert
    expect(outer.result.roundTrips.total).toBe(1);
    expect(outer.roundTrips.total).toBe(2);
  });

  test('When the counter is stopped, then later commands are not counted', async () => {
    // Arrange
    const counter = createRoundTripCounter(test$.connection.client);
    const items = test$.db.collection<Item>('items');
    await items.findOne({ _id: 1 });
    counter.stop();

    // Act
    await items.findOne({ _id: 1 });

    // Assert
    expect(counter.snapshot()).toEqual({ total: 1, byCommand: { find: 1 } });
  });
});
