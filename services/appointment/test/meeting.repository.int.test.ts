import { applyMessage, type Meeting } from '@inviteflow/itip';
import { connectMongo, ensureIndexes, MongoConnection } from '@inviteflow/mongo';
import { eventsV1 } from '@inviteflow/proto-gen';
import { testMongoUrl, uniqueSuffix } from '@inviteflow/testing';
import { MEETING_INDEXES, meetingId, MeetingRepository } from '../src/data/meeting.repository';

const OWNER = { associateId: 'HOMER', addresses: ['homer@example.org'], timeZone: 'Europe/Oslo' };

/** A weekly series with one moved occurrence and one reply for an instance: every keyed map of the model is used. */
function seriesCopy(): Meeting {
  const invite = eventsV1.InviteParsed.fromPartial({
    mailId: 'm1', method: 'REQUEST', uid: 'weekly',
    events: [
      { sequence: 0, dtstamp: new Date('2026-03-01T08:00:00Z'), start: new Date('2026-03-02T08:00:00Z'), end: new Date('2026-03-02T09:00:00Z'), timeZone: 'Europe/Oslo', ianaTimeZone: 'Europe/Oslo',
        rrule: ['FREQ=WEEKLY;COUNT=4'], summary: 'Stand-up', organizer: { address: 'marge@partner.example' }, attendees: [{ address: 'homer@example.org', partstat: 'NEEDS-ACTION' }] },
      { recurrenceId: '2026-03-09T08:00:00.000Z', sequence: 0, dtstamp: new Date('2026-03-01T08:00:00Z'), start: new Date('2026-03-09T10:00:00Z'), end: new Date('2026-03-09T11:00:00Z'),
        timeZone: 'Europe/Oslo', ianaTimeZone: 'Europe/Oslo', summary: 'Stand-up (late)', organizer: { address: 'marge@partner.example' }, attendees: [{ address: 'homer@example.org', partstat: 'NEEDS-ACTION' }] },
    ],
  });
  const result = applyMessage(undefined, invite, { now: '2026-03-01T09:00:00.000Z', owner: OWNER, newMeetingId: meetingId('HOMER', 'weekly'), senderAddresses: ['marge@partner.example'] });
  return { ...result.next!, ownAnswers: { '2026-03-16T08:00:00.000Z': { partstat: 'ACCEPTED', sequence: 0, answeredAt: '2026-03-01T10:00:00.000Z', start: '2026-03-16T08:00:00.000Z', moved: false, history: [] } } };
}

describe('meeting copies on a MongoDB-wire server', () => {
  let mongo: MongoConnection;
  let repo: MeetingRepository;
  const now = new Date('2026-03-01T12:00:00Z');

  beforeEach(async () => {
    mongo = await connectMongo({ url: testMongoUrl(), dbName: `appointment_${uniqueSuffix()}`, appName: 'appointment-test' });
    await ensureIndexes(mongo.db, MEETING_INDEXES);
    repo = new MeetingRepository(mongo.db);
  });

  afterEach(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  test('When a copy keyed by instants and by "" is saved and read back, then it is the same copy at version 1', async () => {
    // Arrange
    const copy = seriesCopy();
    expect(Object.keys(copy.overrides)).toEqual(['2026-03-09T08:00:00.000Z']);
    // Act
    expect(await repo.save(copy, undefined, now)).toBe('saved');
    // Assert
    expect(await repo.find('HOMER', 'weekly')).toEqual({ ...copy, version: 1 });
    expect((await repo.listByOwner('HOMER')).map((m) => m.id)).toEqual(['HOMER|weekly']);
    expect((await repo.listByUid('weekly')).map((m) => m.id)).toEqual(['HOMER|weekly']);
  });

  test('When two writers save from the same loaded version, then one wins and the other is told to re-read', async () => {
    // Arrange
    await repo.save(seriesCopy(), undefined, now);
    const loaded = (await repo.find('HOMER', 'weekly'))!;
    // Act
    const outcomes = await Promise.all(['A', 'B'].map((w) => repo.save({ ...loaded, cautions: [{ code: 'NOT_IN_SYNC', detail: w }] }, loaded.version, now)));
    // Assert
    expect([...outcomes].sort()).toEqual(['conflict', 'saved']);
    expect((await repo.find('HOMER', 'weekly'))!.version).toBe(2);
  });

  test('When two writers create the same copy at once, then one insert wins and the other conflicts', async () => {
    const outcomes = await Promise.all([repo.save(seriesCopy(), undefined, now), repo.save(seriesCopy(), undefined, now)]);
    expect([...outcomes].sort()).toEqual(['conflict', 'saved']);
  });
});
