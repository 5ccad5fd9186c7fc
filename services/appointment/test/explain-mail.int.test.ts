import { connectMongo, ensureIndexes, MongoConnection } from '@inviteflow/mongo';
import { appointmentV1 } from '@inviteflow/proto-gen';
import { testMongoUrl, uniqueSuffix } from '@inviteflow/testing';
import { APPOINTMENT_INDEXES, AppointmentRepository } from '../src/data/appointment.repository';
import { AppointmentState } from '../src/domain/appointment';
import { explainMail } from '../src/grpc/explain-mail.rpc';

const now = new Date('2026-03-01T12:00:00Z');

function state(uid: string, sourceMailId: string): AppointmentState {
  return {
    associateId: 'HOMER', uid, recurrenceId: '', sequence: 0, dtstamp: now, start: now, end: now, timeZone: '', allDay: false,
    summary: 'Planning', location: '', organizer: undefined, attendees: [], status: 'TENTATIVE', sourceMailId,
  };
}

describe('ExplainMail on a MongoDB-wire server', () => {
  let mongo: MongoConnection;
  let repo: AppointmentRepository;

  beforeEach(async () => {
    mongo = await connectMongo({ url: testMongoUrl(), dbName: `explain_${uniqueSuffix()}`, appName: 'appointment-test' });
    await ensureIndexes(mongo.db, APPOINTMENT_INDEXES);
    repo = new AppointmentRepository(mongo.db);
    // Arrange (shared): mail m1 has two UIDs, one applied and one parked; m2 is another mail
    await repo.apply(state('u1', 'm1'), now);
    await repo.recordOutcome({ mailId: 'm1', uid: 'u1', method: 'REQUEST', outcome: 'APPLIED', detail: 'HOMER|u1|=created', appointmentIds: ['HOMER|u1|'], parkedFor: [], recordedAt: now });
    await repo.recordOutcome({ mailId: 'm1', uid: 'u2', method: 'REQUEST', outcome: 'PARKED', detail: 'parked until known: h.simpson@example.org', appointmentIds: [], parkedFor: ['h.simpson@example.org'], recordedAt: now });
    await repo.recordOutcome({ mailId: 'm2', uid: 'u1', method: 'CANCEL', outcome: 'NO_KNOWN_RECIPIENT', detail: 'none', appointmentIds: [], parkedFor: [], recordedAt: now });
  });

  afterEach(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  test('When asked with the mail\'s UIDs, then each outcome comes back with the diary entries it names', async () => {
    // Act
    const res = await explainMail(repo, { mailId: 'm1', uids: ['u2', 'u1', 'u1'] });
    // Assert
    expect(res.outcomes.map((o) => [o.uid, o.outcome, o.parkedFor])).toEqual([['u1', 'APPLIED', []], ['u2', 'PARKED', ['h.simpson@example.org']]]);
    expect(res.appointments).toHaveLength(1);
    expect(res.appointments[0]).toMatchObject({ id: 'HOMER|u1|', status: appointmentV1.AppointmentStatus.APPOINTMENT_STATUS_TENTATIVE, sourceMailId: 'm1' });
  });

  test('When asked without UIDs, then the outcomes are found by mail id, and another mail\'s are not', async () => {
    // Act
    const res = await explainMail(repo, { mailId: 'm1', uids: [] });
    // Assert
    expect(res.outcomes.map((o) => o.uid)).toEqual(['u1', 'u2']);
  });

  test('When nothing of the mail reached the service, then the answer is empty, not an error', async () => {
    // Act
    const res = await explainMail(repo, { mailId: 'unknown', uids: ['u1'] });
    // Assert
    expect(res).toEqual({ mailId: 'unknown', outcomes: [], appointments: [] });
  });

  test('When the mail id is missing, then the request is refused as INVALID_ARGUMENT', async () => {
    // Act / Assert
    await expect(explainMail(repo, { mailId: '', uids: [] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
