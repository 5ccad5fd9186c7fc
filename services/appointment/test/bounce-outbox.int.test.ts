// Issue 14 (nothing lost): a bounce marks the organizer's copy and announces it with
// appointment.updated.v1. The event is saved with the change (the copy's outbox, as for
// invitations), so a failed publish or a crash between the save and the publish loses nothing:
// the redelivered bounce changes nothing but hands on what waits. A real MongoDB-wire server;
// publishes captured at the function the service hands to JetStream (key = msg id).
import type { Db } from 'mongodb';
import { SUBJECTS } from '@inviteflow/contracts';
import { appointmentV1, eventsV1, identityV1 } from '@inviteflow/proto-gen';
import { createMetrics } from '@inviteflow/runtime';
import { bookMeeting } from '../src/crm/crm.commands';
import { OutboundFlusher } from '../src/crm/outbound.flusher';
import { PendingOutboundRepository } from '../src/data/pending-outbound.repository';
import { onMailBounced } from '../src/handlers/mail-bounced.handler';
import { copyPublisher, type PublishFn } from '../src/handlers/meeting-events.publisher';
import { ApplyFixture, startApplyFixture } from './appointment.fixture';
import { FakeIdentity } from './fake-identity';

const MARGE = 'marge@example.org';
const LENNY = 'lenny@partner.example';
const NOW = new Date('2026-03-02T12:00:00Z');

class Directory extends FakeIdentity {
  async getAssociate(owner: string): Promise<identityV1.Associate | undefined> {
    const a = this.associates.get(owner);
    return a && identityV1.Associate.fromPartial({ id: owner, name: owner, primaryAddress: a.primaryAddress, aliases: a.aliases ?? [], timeZone: a.timeZone ?? '' });
  }
}

describe('a bounce\'s event is saved with the organizer\'s copy (its outbox)', () => {
  let fx: ApplyFixture;
  let pendingRepo: PendingOutboundRepository;
  /** Events handed to JetStream, by msg id. */
  let published: Array<{ subject: string; key: string }>;
  /** 'fail-once' throws on the next publish (NATS down); 'crash' drops the publish step (the process died). */
  let mode: 'ok' | 'fail-once' | 'crash';
  let uid: string;

  const publish: PublishFn = async (subject, _payload, key) => {
    if (mode === 'fail-once') {
      mode = 'ok';
      throw new Error('NATS is down (test)');
    }
    published.push({ subject, key });
  };
  const bounce = (mailId: string): Uint8Array => eventsV1.MailBounced.encode(eventsV1.MailBounced.fromPartial({
    mailId, uid, originalMessageId: '<invite-1@example.org>', sequence: 0,
    failed: [{ recipient: LENNY, status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 no such user' }],
  })).finish();
  const handler = (db: Db) => {
    const real = copyPublisher(publish, new PendingOutboundRepository(db), createMetrics('appointment-test'));
    return onMailBounced({
      meetings: fx.meetings, outcomes: fx.outcomes, log: { info: () => undefined }, now: () => NOW,
      publishCopy: async (mailId, method, r) => (mode === 'crash' ? undefined : real(mailId, method, r)),
    });
  };
  const updates = () => published.filter((p) => p.subject === SUBJECTS.appointmentUpdatedV1).map((p) => p.key);

  beforeEach(async () => {
    const identity = new Directory();
    identity.addAssociate('MARGE', { primaryAddress: MARGE, timeZone: 'Europe/Berlin' });
    identity.persons.set(LENNY, 'LENNY');
    fx = await startApplyFixture(identity, ['example.org'], () => NOW, undefined, (db) => copyPublisher(async () => undefined, new PendingOutboundRepository(db), createMetrics('appointment-test')));
    pendingRepo = new PendingOutboundRepository(fx.mongo.db);
    const flusher = new OutboundFlusher({
      meetings: fx.meetings, outcomes: fx.outcomes, pendingRepo, now: () => NOW, log: { info: () => undefined, warn: () => undefined },
      publish: async () => undefined, publishCopy: copyPublisher(async () => undefined, pendingRepo, createMetrics('appointment-test')),
    });
    const booked = await bookMeeting({ meetings: fx.meetings, outcomes: fx.outcomes, identity, flusher, now: () => NOW }, appointmentV1.BookMeetingRequest.fromPartial({
      requestId: 'book-bounce', organizer: MARGE, participants: [LENNY], summary: 'Tasting',
      time: { start: '2026-03-10T09:00', end: '2026-03-10T10:00', timeZone: 'Europe/Berlin', allDay: false },
    }));
    uid = booked.uid;
    published = [];
    mode = 'ok';
  });

  afterEach(async () => fx.close());

  test('When a bounce is applied normally, then one appointment.updated.v1 is published and nothing waits on the copy', async () => {
    // Act
    await handler(fx.mongo.db)({ data: bounce('dsn-1') });
    // Assert
    expect(updates()).toHaveLength(1);
    expect(await pendingRepo.list(`MARGE|${uid}`)).toEqual([]);
    expect((await fx.meetings.find('MARGE', uid))?.cautions.map((c) => c.code)).toEqual(['DELIVERY_FAILED']);
  });

  test('When the publish fails after the save, then the event waits on the copy and the redelivered bounce publishes it once', async () => {
    // Arrange
    const handle = handler(fx.mongo.db);
    mode = 'fail-once';
    const first = await handle({ data: bounce('dsn-2') }).then(() => undefined, (e: unknown) => e);
    const waiting = await pendingRepo.list(`MARGE|${uid}`);
    // Act
    await handle({ data: bounce('dsn-2') });
    await handle({ data: bounce('dsn-2') });
    // Assert
    expect(first).toBeInstanceOf(Error);
    expect(waiting.map((e) => e.subject)).toEqual([SUBJECTS.appointmentUpdatedV1]);
    expect(updates()).toEqual([waiting[0]!.key]);
    expect(await pendingRepo.list(`MARGE|${uid}`)).toEqual([]);
  });

  test('When the process dies between the save and the publish, then the redelivered bounce (already recorded) still publishes the event', async () => {
    // Arrange
    const handle = handler(fx.mongo.db);
    mode = 'crash';
    await handle({ data: bounce('dsn-3') });
    const waiting = await pendingRepo.list(`MARGE|${uid}`);
    mode = 'ok';
    // Act
    await handle({ data: bounce('dsn-3') });
    // Assert
    expect(waiting).toHaveLength(1);
    expect(updates()).toEqual([waiting[0]!.key]);
    expect(await pendingRepo.list(`MARGE|${uid}`)).toEqual([]);
  });
});
