import { connectMongo, createRoundTripCounter, ensureIndexes, MongoConnection } from '@inviteflow/mongo';
import { testMongoUrl, uniqueSuffix } from '@inviteflow/testing';
import { APPOINTMENT_INDEXES, AppointmentRepository } from '../src/data/appointment.repository';
import { AppointmentState } from '../src/domain/appointment';

function state(overrides: Partial<AppointmentState> = {}): AppointmentState {
  return {
    associateId: 'assoc-1', uid: 'uid-1', recurrenceId: '', sequence: 0, dtstamp: new Date('2026-03-01T10:00:00Z'),
    start: new Date('2026-03-10T09:00:00Z'), end: new Date('2026-03-10T10:00:00Z'), timeZone: 'Europe/Oslo', allDay: false,
    summary: 'Planning', location: '', organizer: { address: 'boss@partner.test', name: 'Boss', partstat: '', role: '' },
    attendees: [], status: 'TENTATIVE', sourceMailId: 'mail-1', ...overrides,
  };
}

describe('appointments on a MongoDB-wire server', () => {
  let mongo: MongoConnection;
  let repo: AppointmentRepository;
  const now = new Date('2026-03-01T12:00:00Z');

  beforeEach(async () => {
    mongo = await connectMongo({ url: testMongoUrl(), dbName: `appointment_${uniqueSuffix()}`, appName: 'appointment-test' });
    await ensureIndexes(mongo.db, APPOINTMENT_INDEXES);
    repo = new AppointmentRepository(mongo.db);
  });

  afterEach(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  test('When the same REQUEST is applied twice, then the second time changes nothing', async () => {
    expect(await repo.apply(state(), now)).toBe('created');
    expect(await repo.apply(state(), new Date(now.getTime() + 1000))).toBe('unchanged');
    const [doc] = await repo.listDiary('assoc-1');
    expect(doc).toMatchObject({ version: 1, updatedAt: now });
  });

  test('When an update arrives before an older copy, then the older copy is stale and not applied (RFC 5546 §2.1.5)', async () => {
    await repo.apply(state({ sequence: 2, summary: 'Moved' }), now);
    expect(await repo.apply(state({ sequence: 1, summary: 'Original' }), now)).toBe('stale');
    const [doc] = await repo.listDiary('assoc-1');
    expect(doc).toMatchObject({ sequence: 2, summary: 'Moved' });
  });

  test('When a CANCEL arrives before the update it cancels, then the late update does not bring the meeting back', async () => {
    await repo.apply(state({ sequence: 3, status: 'CANCELLED', start: undefined, end: undefined }), now);
    expect(await repo.apply(state({ sequence: 2, summary: 'Late update' }), now)).toBe('stale');
    const [doc] = await repo.listDiary('assoc-1');
    expect(doc?.status).toBe('CANCELLED');
  });

  test('When two newer versions race for one appointment, then both writes are conditional and the newest wins', async () => {
    await repo.apply(state({ sequence: 0 }), now);
    const results = await Promise.all([repo.apply(state({ sequence: 1, summary: 'one' }), now), repo.apply(state({ sequence: 2, summary: 'two' }), now)]);
    expect(results.filter((r) => r === 'updated').length).toBeGreaterThanOrEqual(1);
    const [doc] = await repo.listDiary('assoc-1');
    expect(doc).toMatchObject({ sequence: 2, summary: 'two' });
  });

  test('When a new invitation is applied, then it costs two database round trips', async () => {
    const counter = createRoundTripCounter(mongo.client);
    const measured = await counter.measure(() => repo.apply(state({ uid: 'uid-rt' }), now));
    counter.stop();
    expect(measured.result).toBe('created');
    expect(measured.roundTrips.total).toBe(2);
  });
});
