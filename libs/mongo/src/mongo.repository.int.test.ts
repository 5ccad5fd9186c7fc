import { MongoClient, type Collection, type Db } from 'mongodb';
import { insertIfAbsent, mapDriverErrors } from './mongo.repository';
import { useTestDatabase } from './test-database.fixture';

type Meeting = { _id: string; title: string };

/** A repository as services write them: methods over one collection, errors mapped once. */
class MeetingRepository {
  private readonly meetings: Collection<Meeting>;

  constructor(db: Db) {
    this.meetings = db.collection('meetings');
    return mapDriverErrors(this, 'MeetingRepository');
  }

  insert(doc: Meeting): Promise<unknown> {
    return this.meetings.insertOne(doc);
  }

  async *all(): AsyncGenerator<Meeting> {
    yield* this.meetings.find({});
  }

  count(): number {
    return 1;
  }
}

describe('repository helpers', () => {
  const test$ = useTestDatabase();

  test('When the same document is inserted twice, then insertIfAbsent says true, then false, and stores it once', async () => {
    // Arrange
    const meetings = test$.db.collection<Meeting>('meetings');
    // Act
    const first = await insertIfAbsent(meetings, { _id: 'm1', title: 'first' });
    const second = await insertIfAbsent(meetings, { _id: 'm1', title: 'second' });
    // Assert
    expect([first, second]).toEqual([true, false]);
    expect(await meetings.find({}).toArray()).toEqual([{ _id: 'm1', title: 'first' }]);
  });

  test('When a wrapped repository method fails in the driver, then the caller sees the mapped AppError naming the method', async () => {
    // Arrange
    const repo = new MeetingRepository(test$.db);
    await repo.insert({ _id: 'm1', title: 'first' });
    // Act
    const error = await repo.insert({ _id: 'm1', title: 'again' }).catch((err: unknown) => err);
    // Assert
    expect(error).toMatchObject({ name: 'AppError', code: 'DUPLICATE_KEY', details: { operation: 'MeetingRepository.insert' } });
    expect(repo).toBeInstanceOf(MeetingRepository);
    expect(repo.count()).toBe(1);
  });

  test('When a wrapped async generator fails in the driver, then iterating it throws the mapped AppError', async () => {
    // Arrange: nothing listens on port 1, so server selection fails after 200 ms
    const unreachable = new MongoClient('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 200 });
    const repo = new MeetingRepository(unreachable.db('nowhere'));
    // Act
    const error = await (async () => {
      for await (const _m of repo.all()) return undefined;
      return undefined;
    })().catch((err: unknown) => err);
    await unreachable.close();
    // Assert
    expect(error).toMatchObject({ name: 'AppError', code: 'MONGO_UNAVAILABLE', retryable: true, details: { operation: 'MeetingRepository.all' } });
  });
});
