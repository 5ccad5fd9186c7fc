import type { Collection } from 'mongodb';
import { ensureIndexes } from './mongo.indexes';
import { withMongoErrors } from './mongo.errors';
import { useTestDatabase } from './test-database.fixture';

type Meeting = { _id: string; uid: string; title?: string };
type Write = (meetings: Collection<Meeting>) => Promise<unknown>;

describe('unique-index violations', () => {
  const test$ = useTestDatabase();

  async function meetingsWithOne(): Promise<Collection<Meeting>> {
    const { db } = test$;
    await ensureIndexes(db, [{ collection: 'meetings', key: { uid: 1 }, name: 'uid_unique', unique: true }]);
    const meetings = db.collection<Meeting>('meetings');
    await meetings.insertMany([
      { _id: 'm1', uid: 'u1' },
      { _id: 'm2', uid: 'u2' },
    ]);
    return meetings;
  }

  test('When an insert violates a unique index, then it surfaces as an AppError with code DUPLICATE_KEY', async () => {
    // Arrange
    const meetings = await meetingsWithOne();

    // Act
    const error = await withMongoErrors(() => meetings.insertOne({ _id: 'm3', uid: 'u1' })).catch((err: unknown) => err);

    // Assert
    expect(error).toMatchObject({
      name: 'AppError',
      code: 'DUPLICATE_KEY',
      retryable: false,
      details: { collection: 'meetings', database: test$.db.databaseName, index: 'uid_unique' },
    });
    // Real MongoDB reports the key; the stand-in does not (docs/mongo-stand-in.md).
    expect([undefined, { uid: 'u1' }]).toContainEqual((error as { details: { keyValue?: unknown } }).details.keyValue);
  });

  test.each<[string, string, Write]>([
    ['a bulk insert', 'uid_unique', (c) => c.insertMany([{ _id: 'm3', uid: 'u1' }])],
    ['an upsert', 'uid_unique', (c) => c.updateOne({ uid: 'u9' }, { $set: { uid: 'u1' } }, { upsert: true })],
    ['an update', 'uid_unique', (c) => c.updateOne({ _id: 'm2' }, { $set: { uid: 'u1' } })],
    ['a findOneAndUpdate', 'uid_unique', (c) => c.findOneAndUpdate({ _id: 'm2' }, { $set: { uid: 'u1' } })],
    ['an insert with an existing _id', '_id_', (c) => c.insertOne({ _id: 'm1', uid: 'u7' })],
  ])('When %s violates a unique index, then it surfaces as DUPLICATE_KEY on index %s', async (_label, index, write) => {
    // Arrange
    const meetings = await meetingsWithOne();

    // Act
    const error = await withMongoErrors(() => write(meetings)).catch((err: unknown) => err);

    // Assert
    expect(error).toMatchObject({ code: 'DUPLICATE_KEY', retryable: false, details: { collection: 'meetings', index } });
  });
});
