// Issue 14: the MongoDB round trips and publishes one invitation costs on the apply path (the
// load test's shape: one REQUEST to one known associate from an external organizer), counted
// from the driver's command monitoring (libs/mongo round-trip.counter).
import { createRoundTripCounter } from '@inviteflow/mongo';
import { eventsV1 } from '@inviteflow/proto-gen';
import { createMetrics } from '@inviteflow/runtime';
import { uniqueSuffix } from '@inviteflow/testing';
import { PendingOutboundRepository } from '../src/data/pending-outbound.repository';
import { copyPublisher, type PublishFn } from '../src/handlers/meeting-events.publisher';
import { ApplyFixture, startApplyFixture } from './appointment.fixture';
import { FakeIdentity } from './fake-identity';

const HOMER = 'homer@example.org';
const LENNY = 'lenny@partner.example';

function request(mailId: string, uid: string, sequence = 0): Uint8Array {
  return eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
    mailId, method: 'REQUEST', uid, mail: { envelopeTo: [HOMER], from: LENNY },
    events: [{
      sequence, dtstamp: new Date('2026-04-01T08:00:00Z'), start: new Date('2026-04-07T08:00:00Z'), end: new Date('2026-04-07T09:00:00Z'),
      timeZoneSource: 'utc', summary: 'Review', organizer: { address: LENNY }, attendees: [{ address: HOMER, partstat: 'NEEDS-ACTION' }],
    }],
  })).finish();
}

describe('round trips per invitation', () => {
  let fx: ApplyFixture;
  const publishes: string[] = [];
  let seq = 0;

  beforeEach(async () => {
    const identity = new FakeIdentity();
    identity.addAssociate('HOMER', { primaryAddress: HOMER, timeZone: 'Europe/Berlin' });
    identity.persons.set(LENNY, 'P-LENNY');
    const publish: PublishFn = async (subject) => void publishes.push(subject);
    fx = await startApplyFixture(identity, ['example.org'], undefined, undefined, (db) => copyPublisher(publish, new PendingOutboundRepository(db), createMetrics('appointment-test')));
  });

  afterEach(async () => fx.close());

  test('When a new REQUEST reaches one known associate, then it costs 5 MongoDB round trips (no copy read: insert first) and 1 publish', async () => {
    // Arrange
    const counter = createRoundTripCounter(fx.mongo.client);
    const uid = `trips-${uniqueSuffix()}`;
    publishes.length = 0;
    // Act
    const { roundTrips } = await counter.measure(() => fx.handle({ data: request(`m-${uid}`, uid), seq: ++seq }));
    counter.stop();
    // Assert: settings (cached in the service, not in the fixture), copy insert with its outbox,
    // outbox clear, held-message look-up, outcome record.
    expect(roundTrips).toEqual({ total: 5, byCommand: { find: 2, insert: 1, update: 2 } });
    expect(publishes).toEqual(['appointment.scheduled.v1']);
    expect(await fx.mongo.db.collection('meetings').findOne({ _id: `HOMER|${uid}` } as never)).toMatchObject({ version: 1 });
  });

  test('When a first REQUEST arrives again (a redelivery), then the refused insert falls back to reading the copy: DUPLICATE, nothing saved or published again', async () => {
    // Arrange
    const uid = `again-${uniqueSuffix()}`;
    const message = request(`m-${uid}`, uid);
    await fx.handle({ data: message, seq: ++seq });
    const counter = createRoundTripCounter(fx.mongo.client);
    publishes.length = 0;
    // Act
    const { roundTrips } = await counter.measure(() => fx.handle({ data: message, seq: ++seq }));
    counter.stop();
    // Assert: settings, the refused insert, the copy read, the outcome record (no outbox to clear).
    expect(roundTrips).toEqual({ total: 4, byCommand: { find: 2, insert: 1, update: 1 } });
    expect(publishes).toEqual([]);
    expect(fx.published.filter((p) => p.mailId === `m-${uid}`).map((p) => [p.saved, p.codes])).toEqual([[true, ['APPLIED']], [false, ['DUPLICATE']]]);
    expect(await fx.mongo.db.collection('meetings').findOne({ _id: `HOMER|${uid}` } as never)).toMatchObject({ version: 1 });
  });

  test('When a rescheduling REQUEST (SEQUENCE 1) reaches an existing copy, then it reads first and updates under the version guard', async () => {
    // Arrange
    const uid = `resched-${uniqueSuffix()}`;
    await fx.handle({ data: request(`m-${uid}`, uid), seq: ++seq });
    const counter = createRoundTripCounter(fx.mongo.client);
    publishes.length = 0;
    // Act
    const { roundTrips } = await counter.measure(() => fx.handle({ data: request(`m2-${uid}`, uid, 1), seq: ++seq }));
    counter.stop();
    // Assert: settings, copy read, guarded update with its outbox, outbox clear, outcome record.
    expect(roundTrips).toEqual({ total: 5, byCommand: { find: 2, update: 3 } });
    expect(publishes).toEqual(['appointment.updated.v1']);
    expect(await fx.mongo.db.collection('meetings').findOne({ _id: `HOMER|${uid}` } as never)).toMatchObject({ version: 2 });
  });

  test('When eight new REQUESTs are handled at once, then they share round trips (group reads and writes) and every copy and outcome is stored', async () => {
    // Arrange
    const counter = createRoundTripCounter(fx.mongo.client);
    const uids = Array.from({ length: 8 }, (_, i) => `trips-${i}-${uniqueSuffix()}`);
    publishes.length = 0;
    // Act
    const { roundTrips } = await counter.measure(() => Promise.all(uids.map((uid) => fx.handle({ data: request(`m-${uid}`, uid), seq: ++seq }))));
    counter.stop();
    // Assert: one at a time they would cost 8 × 5 = 40.
    expect(roundTrips.total).toBeLessThan(40);
    expect(publishes).toHaveLength(8);
    const copies = await fx.mongo.db.collection('meetings').find({ _id: { $in: uids.map((u) => `HOMER|${u}`) } as never }).toArray();
    expect(copies.map((c) => [c['version'], 'pendingOutbound' in c])).toEqual(uids.map(() => [1, false]));
    expect(await fx.mongo.db.collection('invite_outcomes').countDocuments({ uid: { $in: uids } })).toBe(8);
  });
});
