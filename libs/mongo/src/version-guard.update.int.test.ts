import { updateIfVersion } from './version-guard.update';
import { useTestDatabase } from './test-database.fixture';

type Meeting = { _id: string; version: number; owner?: string; title?: string };

describe('updateIfVersion', () => {
  const test$ = useTestDatabase();

  test('When two writers update one document at the same version concurrently, then exactly one wins each round', async () => {
    // Arrange
    const meetings = test$.db.collection<Meeting>('meetings');
    await meetings.insertOne({ _id: 'm1', version: 0 });
    const rounds = 20;

    for (let round = 0; round < rounds; round += 1) {
      // Act
      const outcomes = await Promise.all(
        (['a', 'b'] as const).map((writer) => updateIfVersion(meetings, 'm1', round, { $set: { owner: `${writer}${round}` } })),
      );

      // Assert
      expect([...outcomes].sort()).toEqual(['conflict', 'updated']);
      const winner = outcomes[0] === 'updated' ? 'a' : 'b';
      expect(await meetings.findOne({ _id: 'm1' })).toEqual({ _id: 'm1', version: round + 1, owner: `${winner}${round}` });
    }
    expect((await meetings.findOne({ _id: 'm1' }))?.version).toBe(rounds);
  });

  test('When the expected version is stale, then the outcome is conflict and the document is unchanged', async () => {
    // Arrange
    const meetings = test$.db.collection<Meeting>('meetings');
    await meetings.insertOne({ _id: 'm1', version: 3, title: 'kept' });

    // Act
    const outcome = await updateIfVersion(meetings, 'm1', 2, { $set: { title: 'lost' } });

    // Assert
    expect(outcome).toBe('conflict');
    expect(await meetings.findOne({ _id: 'm1' })).toEqual({ _id: 'm1', version: 3, title: 'kept' });
  });

  test('When the document does not exist, then the outcome is conflict and nothing is created', async () => {
    // Arrange
    const meetings = test$.db.collection<Meeting>('meetings');

    // Act
    const outcome = await updateIfVersion(meetings, 'missing', 0, { $set: { title: 'x' } });

    // Assert
    expect(outcome).toBe('conflict');
    expect(await meetings.countDocuments()).toBe(0);
  });

  test('When the update also increments another field, then both increments apply with the version', async () => {
    // Arrange
    const meetings = test$.db.collection<Meeting & { attempts: number }>('meetings');
    await meetings.insertOne({ _id: 'm1', version: 0, attempts: 1 });

    // Act
    const outcome = await updateIfVersion(meetings, 'm1', 0, { $inc: { attempts: 2 } });

    // Assert
    expect(outcome).toBe('updated');
    expect(await meetings.findOne({ _id: 'm1' })).toEqual({ _id: 'm1', version: 1, attempts: 3 });
  });
});
