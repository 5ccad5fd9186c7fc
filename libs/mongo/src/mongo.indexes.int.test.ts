import { ensureIndexes, type IndexSpec } from './mongo.indexes';
import { withMongoErrors } from './mongo.errors';
import { useTestDatabase } from './test-database.fixture';

const specs: IndexSpec[] = [
  { collection: 'meetings', key: { uid: 1 }, name: 'uid_unique', unique: true },
  { collection: 'meetings', key: { organizer: 1, start: -1 }, name: 'organizer_start' },
  { collection: 'addresses', key: { alias: 1 }, name: 'alias_unique_if_present', unique: true, sparse: true },
];

describe('ensureIndexes', () => {
  const test$ = useTestDatabase();

  test('When indexes are declared in code, then ensureIndexes creates them and a second call is a no-op', async () => {
    // Arrange
    const { db } = test$;

    // Act
    const first = await ensureIndexes(db, specs);
    const meetingsAfterFirst = await db.collection('meetings').listIndexes().toArray();
    const addressesAfterFirst = await db.collection('addresses').listIndexes().toArray();
    const second = await ensureIndexes(db, specs);
    const meetingsAfterSecond = await db.collection('meetings').listIndexes().toArray();

    // Assert
    expect(first).toEqual([
      { collection: 'meetings', changed: true },
      { collection: 'addresses', changed: true },
    ]);
    expect(meetingsAfterFirst).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'uid_unique', key: { uid: 1 }, unique: true }),
        expect.objectContaining({ name: 'organizer_start', key: { organizer: 1, start: -1 } }),
      ]),
    );
    expect(addressesAfterFirst).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'alias_unique_if_present', key: { alias: 1 }, unique: true, sparse: true }),
      ]),
    );
    expect(second).toEqual([
      { collection: 'meetings', changed: false },
      { collection: 'addresses', changed: false },
    ]);
    expect(meetingsAfterSecond.map((index) => index['name']).sort()).toEqual(
      meetingsAfterFirst.map((index) => index['name']).sort(),
    );
  });

  test('When a sparse unique index is declared, then documents without the field coexist and equal values collide', async () => {
    // Arrange
    const { db } = test$;
    await ensureIndexes(db, specs);
    const addresses = db.collection<{ _id: string; alias?: string }>('addresses');
    await addresses.insertMany([{ _id: 'a1' }, { _id: 'a2' }, { _id: 'a3', alias: 'ops@example.com' }]);

    // Act
    const duplicate = await withMongoErrors(() => addresses.insertOne({ _id: 'a4', alias: 'ops@example.com' })).catch(
      (err: unknown) => err,
    );

    // Assert
    expect(duplicate).toMatchObject({ code: 'DUPLICATE_KEY', details: { index: 'alias_unique_if_present' } });
    expect(await addresses.countDocuments()).toBe(3);
  });

  test('When existing documents violate a newly declared unique index, then ensureIndexes fails with DUPLICATE_KEY', async () => {
    // Arrange
    const { db } = test$;
    await db.collection('meetings').insertMany([{ uid: 'same' }, { uid: 'same' }]);

    // Act
    const outcome = ensureIndexes(db, specs);

    // Assert
    await expect(outcome).rejects.toMatchObject({ code: 'DUPLICATE_KEY', details: { index: 'uid_unique' } });
  });
});
