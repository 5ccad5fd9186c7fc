// The processed-mail record (Message-ID + body hash) with look-ups and records grouped across
// concurrent mails (issue 14), against the test MongoDB stand-in; round trips counted from the
// driver's command monitoring.
import { connectMongo, createRoundTripCounter, isDuplicateKeyError, type MongoConnection } from '@inviteflow/mongo';
import { testMongoUrl, uniqueSuffix } from '@inviteflow/testing';
import { ProcessedMailRepository } from '../src/data/processed-mail.repository';

describe('ProcessedMailRepository (grouped)', () => {
  let mongo: MongoConnection;

  beforeEach(async () => {
    mongo = await connectMongo({ url: testMongoUrl(), dbName: `ingest_processed_${uniqueSuffix()}`, appName: 'processed-mail-test' });
  });
  afterEach(async () => {
    await mongo.db.dropDatabase().catch(() => undefined);
    await mongo.close();
  });

  const entry = (mailId: string) => ({ messageId: `<${mailId}@example.net>`, mailId, source: 'smtp' });

  test('When eight mails look up and record at once, then it takes two finds and two bulk updates, and each sees only its own record', async () => {
    // Arrange
    const records = new ProcessedMailRepository(mongo.db);
    await records.record('fp-known', entry('first'), new Date());
    const counter = createRoundTripCounter(mongo.client);
    const fingerprints = ['fp-known', ...Array.from({ length: 7 }, (_, i) => `fp-${i}`)];
    // Act
    const { result, roundTrips } = await counter.measure(async () => {
      const found = await Promise.all(fingerprints.map((fp) => records.announcedAs(fp)));
      await Promise.all(fingerprints.slice(1).map((fp, i) => records.record(fp, entry(`m-${i}`), new Date())));
      return found;
    });
    counter.stop();
    // Assert: the first of each goes alone, the rest share the next command.
    expect(roundTrips).toEqual({ total: 4, byCommand: { find: 2, update: 2 } });
    expect(result).toEqual(['first', undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(await Promise.all(fingerprints.map((fp) => records.announcedAs(fp)))).toEqual(['first', 'm-0', 'm-1', 'm-2', 'm-3', 'm-4', 'm-5', 'm-6']);
  });

  test('When a later copy is recorded, then the first announcement is kept', async () => {
    // Arrange
    const records = new ProcessedMailRepository(mongo.db);
    // Act: both in one bulk write (the second queued behind a first that went alone).
    await Promise.all([records.record('fp-other', entry('other'), new Date()), records.record('fp', entry('first'), new Date()), records.record('fp', entry('copy'), new Date())]);
    // Assert
    expect(await records.announcedAs('fp')).toBe('first');
  });

  test('When one record of a shared bulk write is refused, then only that mail fails and the others are recorded', async () => {
    // Arrange: a unique index the third record breaks (a stand-in for any refused statement).
    await mongo.db.collection('processed_mail').createIndex({ mailId: 1 }, { unique: true });
    const records = new ProcessedMailRepository(mongo.db);
    await records.record('fp-taken', entry('taken'), new Date());
    // Act: the first goes alone, the other three share one bulk write.
    const outcomes = await Promise.allSettled([
      records.record('fp-a', entry('a'), new Date()),
      records.record('fp-b', entry('b'), new Date()),
      records.record('fp-c', entry('taken'), new Date()),
      records.record('fp-d', entry('d'), new Date()),
    ]);
    // Assert
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(isDuplicateKeyError((outcomes[2] as PromiseRejectedResult).reason)).toBe(true);
    expect(await Promise.all(['fp-a', 'fp-b', 'fp-c', 'fp-d'].map((fp) => records.announcedAs(fp)))).toEqual(['a', 'b', undefined, 'd']);
  });
});
