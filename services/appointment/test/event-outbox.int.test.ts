// Issue 14 (chaos): a copy saved and never announced. The events a message produces are saved
// with the copy (its outbox), published, then cleared; a redelivery or the periodic re-check
// publishes what a failed publish or a crash left. Real NATS (a private server with the real
// streams: JetStream's duplicate window is what makes a second publish harmless) and the
// MongoDB-wire stand-in.
import { STREAMS, SUBJECTS } from '@inviteflow/contracts';
import type { ProvisionedInfra } from '@inviteflow/infra';
import { connectNats, provisionStreams, publish, type NatsHandle } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { AppError, createMetrics } from '@inviteflow/runtime';
import { startPrivateNats, testNatsAuth, uniqueSuffix } from '@inviteflow/testing';
import { OUTBOX_RECHECK_MIN_AGE_MS, OutboundFlusher } from '../src/crm/outbound.flusher';
import { PendingOutboundRepository } from '../src/data/pending-outbound.repository';
import { copyPublisher, type PublishFn } from '../src/handlers/meeting-events.publisher';
import { ApplyFixture, startApplyFixture } from './appointment.fixture';
import { FakeIdentity } from './fake-identity';

const HOMER = 'homer@example.org';
const LENNY = 'lenny@partner.example';
const NOW = new Date('2026-03-02T12:00:00Z');

function request(mailId: string, uid: string, sequence = 0, start = '2026-04-07T08:00:00Z'): Uint8Array {
  return eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
    mailId, method: 'REQUEST', uid, mail: { envelopeTo: [HOMER], from: LENNY },
    events: [{
      sequence, dtstamp: new Date('2026-04-01T08:00:00Z'), start: new Date(start), end: new Date(new Date(start).getTime() + 3_600_000),
      timeZoneSource: 'utc', summary: 'Review', organizer: { address: LENNY }, attendees: [{ address: HOMER, partstat: 'NEEDS-ACTION' }],
    }],
  })).finish();
}

describe('the copy outbox: events saved with the copy, published after it', () => {
  let infra: ProvisionedInfra;
  let nats: NatsHandle;
  let fx: ApplyFixture;
  let pendingRepo: PendingOutboundRepository;
  let clock: Date;
  /** What the next publishes do: 'fail' throws (NATS down), 'crash' publishes nothing and returns (the process died). */
  let mode: 'ok' | 'fail-once' | 'crash';
  let seq = 0;

  const natsPublish: PublishFn = async (subject, payload, msgId) => void (await publish(nats.js, subject, payload, { msgId }));
  const deliver = (data: Uint8Array) => fx.handle({ data, seq: ++seq });
  /** Messages the APPOINTMENT stream holds on `subject` (JetStream dropped the repeats of a msg id). */
  const stored = async (subject: string): Promise<number> =>
    (await nats.jsm.streams.info(STREAMS.appointment.name, { subjects_filter: subject })).state.subjects?.[subject] ?? 0;
  const rawCopy = (id: string) => fx.mongo.db.collection<{ _id: string }>('meetings').findOne({ _id: id });

  beforeAll(async () => {
    infra = await startPrivateNats('appt-outbox');
    nats = await connectNats({ servers: [infra.natsUrl], name: 'appointment-outbox-test', auth: testNatsAuth() });
    await provisionStreams(nats.jsm, [STREAMS.appointment, STREAMS.mail]);
  }, 60_000);

  afterAll(async () => {
    await nats?.drain();
    await infra?.stop();
  });

  beforeEach(async () => {
    const identity = new FakeIdentity();
    identity.addAssociate('HOMER', { primaryAddress: HOMER, timeZone: 'Europe/Berlin' });
    identity.persons.set(LENNY, 'P-LENNY');
    mode = 'ok';
    clock = NOW;
    const guarded: PublishFn = async (subject, payload, msgId) => {
      if (mode === 'fail-once') {
        mode = 'ok';
        throw new AppError({ code: 'NATS_UNAVAILABLE', retryable: true, message: 'NATS is down (test)' });
      }
      await natsPublish(subject, payload, msgId);
    };
    fx = await startApplyFixture(identity, ['example.org'], () => clock, undefined, (db) => {
      pendingRepo = new PendingOutboundRepository(db);
      const real = copyPublisher(guarded, pendingRepo, createMetrics('appointment-test'));
      return async (mailId, method, r, opts) => (mode === 'crash' ? undefined : real(mailId, method, r, opts));
    });
  });

  afterEach(async () => fx.close());

  test('When an invitation is applied normally, then appointment.scheduled.v1 is stored once and nothing is left pending on the copy', async () => {
    // Arrange
    const uid = `normal-${uniqueSuffix()}`;
    const before = await stored(SUBJECTS.appointmentScheduledV1);
    const updatedBefore = await stored(SUBJECTS.appointmentUpdatedV1);
    // Act
    await deliver(request(`m-${uid}`, uid));
    await deliver(request(`m2-${uid}`, uid, 1, '2026-04-08T08:00:00Z'));
    // Assert
    expect(await stored(SUBJECTS.appointmentScheduledV1)).toBe(before + 1);
    expect(await stored(SUBJECTS.appointmentUpdatedV1)).toBe(updatedBefore + 1);
    const doc = await rawCopy(`HOMER|${uid}`);
    expect(doc).toMatchObject({ version: 2 });
    expect(doc).not.toHaveProperty('pendingOutbound');
    expect(doc).not.toHaveProperty('pendingSince');
  });

  test('When the publish fails after the save, then the redelivered message (DUPLICATE) publishes the scheduled event exactly once and empties the outbox', async () => {
    // Arrange
    const uid = `fail-${uniqueSuffix()}`;
    const before = await stored(SUBJECTS.appointmentScheduledV1);
    const message = request(`m-${uid}`, uid);
    mode = 'fail-once';
    const first = await deliver(message).then(() => undefined, (e: unknown) => e);
    const left = await pendingRepo.list(`HOMER|${uid}`);
    // Act
    await deliver(message);
    await deliver(message);
    // Assert
    expect(first).toMatchObject({ code: 'NATS_UNAVAILABLE' });
    expect(left.map((e) => [e.kind, e.subject, e.key])).toEqual([['event', SUBJECTS.appointmentScheduledV1, `scheduled:HOMER|${uid}`]]);
    expect(fx.published.filter((p) => p.mailId === `m-${uid}`).map((p) => [p.saved, p.codes])).toEqual([[true, ['APPLIED']], [false, ['DUPLICATE']], [false, ['DUPLICATE']]]);
    expect(await stored(SUBJECTS.appointmentScheduledV1)).toBe(before + 1);
    expect(await pendingRepo.list(`HOMER|${uid}`)).toEqual([]);
    expect(await rawCopy(`HOMER|${uid}`)).not.toHaveProperty('pendingSince');
  });

  test('When the outbox clear (overlapped with the outcome record) fails, then the message fails and is not acknowledged, and its redelivery empties the outbox', async () => {
    // Arrange
    const uid = `clear-${uniqueSuffix()}`;
    const before = await stored(SUBJECTS.appointmentScheduledV1);
    const message = request(`m-${uid}`, uid);
    jest.spyOn(pendingRepo, 'clear').mockRejectedValueOnce(new AppError({ code: 'MONGO_UNAVAILABLE', retryable: true, message: 'MongoDB is down (test)' }));
    // Act
    const first = await deliver(message).then(() => undefined, (e: unknown) => e);
    const left = await pendingRepo.list(`HOMER|${uid}`);
    await deliver(message);
    // Assert
    expect(first).toMatchObject({ code: 'MONGO_UNAVAILABLE' });
    expect(left.map((e) => e.key)).toEqual([`scheduled:HOMER|${uid}`]);
    expect(await stored(SUBJECTS.appointmentScheduledV1)).toBe(before + 1);
    expect(await rawCopy(`HOMER|${uid}`)).not.toHaveProperty('pendingOutbound');
    expect(await fx.outcomes.findForMail(`m-${uid}`, [uid])).toHaveLength(1);
  });

  test('When the process dies between the save and the publish, then the periodic re-check leaves young entries alone and publishes them once they are older than the minimum age', async () => {
    // Arrange
    const uid = `crash-${uniqueSuffix()}`;
    const before = await stored(SUBJECTS.appointmentScheduledV1);
    mode = 'crash';
    await deliver(request(`m-${uid}`, uid));
    mode = 'ok';
    const log = { info: () => undefined, warn: () => undefined };
    const flusher = new OutboundFlusher({
      meetings: fx.meetings, outcomes: fx.outcomes, pendingRepo, now: () => clock, log, publish: natsPublish,
      publishCopy: copyPublisher(natsPublish, pendingRepo, createMetrics('appointment-test')),
    });
    // Act
    const young = await flusher.sweep(OUTBOX_RECHECK_MIN_AGE_MS);
    const storedWhileYoung = await stored(SUBJECTS.appointmentScheduledV1);
    clock = new Date(NOW.getTime() + OUTBOX_RECHECK_MIN_AGE_MS + 1_000);
    const handed = await flusher.sweep(OUTBOX_RECHECK_MIN_AGE_MS);
    const again = await flusher.sweep(OUTBOX_RECHECK_MIN_AGE_MS);
    // Assert
    expect([young, storedWhileYoung]).toEqual([0, before]);
    expect([handed, again]).toEqual([1, 0]);
    expect(await stored(SUBJECTS.appointmentScheduledV1)).toBe(before + 1);
    const doc = await rawCopy(`HOMER|${uid}`);
    expect(doc).not.toHaveProperty('pendingOutbound');
    expect(doc).not.toHaveProperty('pendingSince');
  });

  test('When a second message changes the copy while the first one\'s events still wait, then both are published and the outbox ends empty', async () => {
    // Arrange
    const uid = `two-${uniqueSuffix()}`;
    const scheduled = await stored(SUBJECTS.appointmentScheduledV1);
    const updated = await stored(SUBJECTS.appointmentUpdatedV1);
    mode = 'crash';
    await deliver(request(`m-${uid}`, uid));
    mode = 'ok';
    // Act
    await deliver(request(`m2-${uid}`, uid, 1, '2026-04-08T08:00:00Z'));
    // Assert
    expect(await stored(SUBJECTS.appointmentScheduledV1)).toBe(scheduled + 1);
    expect(await stored(SUBJECTS.appointmentUpdatedV1)).toBe(updated + 1);
    const doc = await rawCopy(`HOMER|${uid}`);
    expect(doc).not.toHaveProperty('pendingOutbound');
    expect(doc).not.toHaveProperty('pendingSince');
  });
});
