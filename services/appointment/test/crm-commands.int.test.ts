// Issue 10 §1: the CRM commands on a real MongoDB-wire server, through the functions the gRPC
// server wires (crm/crm.commands.ts). Outbound commands are captured at the publish function the
// service hands to JetStream (key = msg id); associates' copies are written by the same apply
// path as mail. A publish that fails stands in for a crash after the save.
import type { Db } from 'mongodb';
import { SUBJECTS } from '@inviteflow/contracts';
import { appointmentV1, eventsV1, identityV1 } from '@inviteflow/proto-gen';
import { createMetrics, isAppError } from '@inviteflow/runtime';
import { acceptCounter, bookMeeting, cancelMeeting, declineCounter, proposeNewTime, removeAttendee, respondToInvitation, updateMeeting } from '../src/crm/crm.commands';
import type { CrmDeps } from '../src/crm/crm.executor';
import { OutboundFlusher } from '../src/crm/outbound.flusher';
import { PendingOutboundRepository } from '../src/data/pending-outbound.repository';
import { copyPublisher } from '../src/handlers/meeting-events.publisher';
import { meetingHistory } from '../src/grpc/meeting.rpc';
import { ApplyFixture, startApplyFixture } from './appointment.fixture';
import { FakeIdentity } from './fake-identity';

const MARGE = 'marge@example.org';
const HOMER = 'homer@example.org';
const LENNY = 'lenny@partner.example';
const STRANGER = 'someone@elsewhere.example';
const NOW = new Date('2026-03-02T12:00:00Z');
const { Response } = appointmentV1;

class Directory extends FakeIdentity {
  async getAssociate(owner: string): Promise<identityV1.Associate | undefined> {
    const a = this.associates.get(owner);
    return a && identityV1.Associate.fromPartial({ id: owner, name: owner, primaryAddress: a.primaryAddress, aliases: a.aliases ?? [], timeZone: a.timeZone ?? '' });
  }
}

interface Sent {
  subject: string;
  key: string;
  request: eventsV1.OutboundRequested;
}

const time = (start: string, end: string, timeZone = 'Europe/Berlin') => ({ start, end, timeZone, allDay: false });
const book = (o: Partial<appointmentV1.BookMeetingRequest> = {}): appointmentV1.BookMeetingRequest => appointmentV1.BookMeetingRequest.fromPartial({
  requestId: 'book-1', organizer: MARGE, participants: [HOMER, LENNY, STRANGER], time: time('2026-03-10T09:00', '2026-03-10T10:00'), summary: 'Planning', ...o,
});

describe('the CRM commands on a MongoDB-wire server', () => {
  let fx: ApplyFixture;
  let deps: CrmDeps;
  let sent: Sent[];
  let failing: boolean;
  let pendingRepo: PendingOutboundRepository;

  beforeEach(async () => {
    const identity = new Directory();
    identity.addAssociate('MARGE', { primaryAddress: MARGE, timeZone: 'Europe/Berlin' });
    identity.addAssociate('HOMER', { primaryAddress: HOMER, timeZone: 'Europe/Berlin' });
    identity.persons.set(LENNY, 'LENNY');
    // Copies announce their changes on their own (their outbox), apart from the mails sent here.
    const announce = (db: Db) => copyPublisher(async () => undefined, new PendingOutboundRepository(db), createMetrics('appointment-test'));
    fx = await startApplyFixture(identity, ['example.org'], () => NOW, undefined, announce);
    sent = [];
    failing = false;
    pendingRepo = new PendingOutboundRepository(fx.mongo.db);
    const log = { info: () => undefined, warn: () => undefined };
    const publishCopy = announce(fx.mongo.db);
    const flusher = new OutboundFlusher({
      meetings: fx.meetings, outcomes: fx.outcomes, pendingRepo, now: () => NOW, log, publishCopy,
      publish: async (subject, payload, key) => {
        if (failing) throw new Error('NATS is down');
        sent.push({ subject, key, request: eventsV1.OutboundRequested.decode(payload) });
      },
    });
    deps = { meetings: fx.meetings, outcomes: fx.outcomes, identity, flusher, now: () => NOW };
  });

  afterEach(async () => fx.close());

  test('When Marge books a meeting with two externals and one associate, then two REQUEST commands go out, one per external, and Homer\'s copy exists at once', async () => {
    // Act
    const res = await bookMeeting(deps, book({ location: 'Room 1', conferenceUrl: 'https://meet.example/abc' }));
    // Assert
    expect(res.commands.filter((c) => c.kind === 'mail').map((c) => [c.method, c.recipient, c.published])).toEqual([['REQUEST', LENNY, true], ['REQUEST', STRANGER, true]]);
    expect(sent.map((s) => [s.subject, s.request.method, s.request.recipients, s.key === s.request.requestId])).toEqual([
      [SUBJECTS.mailOutboundRequestedV1, 'REQUEST', [LENNY], true], [SUBJECTS.mailOutboundRequestedV1, 'REQUEST', [STRANGER], true],
    ]);
    expect(sent[0]!.request).toMatchObject({ summary: 'Planning', timeZone: 'Europe/Berlin', location: 'Room 1', conferenceUrl: 'https://meet.example/abc', organizer: { address: MARGE }, auditMailId: 'crm:book-1', start: new Date('2026-03-10T08:00:00Z') });
    expect(sent[0]!.request.calendar).toContain('METHOD:REQUEST');
    expect(sent[0]!.request.calendar).toContain('DTSTART;TZID=Europe/Berlin:20260310T090000');
    const homer = await fx.meetings.find('HOMER', res.uid);
    expect(homer).toMatchObject({ role: 'attendee', tentative: true, organizer: { address: MARGE }, master: { summary: 'Planning', version: { sequence: 0 } } });
    expect(res.updatedCopies).toEqual([`HOMER|${res.uid}`]);
    expect(await pendingRepo.list(res.meetingId)).toEqual([]);
    const history = await meetingHistory(fx.outcomes, { uid: res.uid });
    expect(history.entries.map((e) => [e.mailId, e.method, e.outcome, e.recipients.map((r) => r.associateId)])).toEqual([['crm:book-1', 'REQUEST', 'APPLIED', ['MARGE', 'HOMER']]]);
  });

  test('When the same BookMeeting is retried with its request id, then nothing is booked twice and no command is sent again', async () => {
    // Arrange
    const first = await bookMeeting(deps, book());
    // Act
    const again = await bookMeeting(deps, book());
    // Assert
    expect([again.uid, again.changed, again.commands]).toEqual([first.uid, false, []]);
    expect(sent).toHaveLength(2);
    expect((await fx.meetings.listByUid(first.uid)).map((m) => m.id)).toEqual([`HOMER|${first.uid}`, `MARGE|${first.uid}`]);
  });

  test('When only the description changes, then SEQUENCE stays; when the time moves, then it is bumped — on Marge\'s copy, in the REQUESTs and on Homer\'s copy', async () => {
    // Arrange
    const booked = await bookMeeting(deps, book());
    // Act
    const described = await updateMeeting(deps, appointmentV1.UpdateMeetingRequest.fromPartial({ requestId: 'u-1', organizer: MARGE, uid: booked.uid, description: 'Bring the figures' }));
    const homerAfterDescription = await fx.meetings.find('HOMER', booked.uid);
    const moved = await updateMeeting(deps, appointmentV1.UpdateMeetingRequest.fromPartial({ requestId: 'u-2', organizer: MARGE, uid: booked.uid, time: time('2026-03-10T14:00', '2026-03-10T15:00') }));
    const homerAfterMove = await fx.meetings.find('HOMER', booked.uid);
    // Assert
    expect([described.significant, described.meeting!.master!.version.sequence]).toEqual([false, 0]);
    expect(described.commands.filter((c) => c.kind === 'mail').map((c) => [c.method, c.sequence])).toEqual([['REQUEST', 0], ['REQUEST', 0]]);
    expect(homerAfterDescription!.master).toMatchObject({ description: 'Bring the figures', version: { sequence: 0 } });
    expect([moved.significant, moved.meeting!.master!.version.sequence]).toEqual([true, 1]);
    expect(sent.slice(-2).map((s) => [s.request.method, s.request.sequence, s.request.reason])).toEqual([['REQUEST', 1, 'SIGNIFICANT_CHANGE'], ['REQUEST', 1, 'SIGNIFICANT_CHANGE']]);
    expect(homerAfterMove!.master).toMatchObject({ start: '2026-03-10T13:00:00.000Z', version: { sequence: 1 } });
  });

  test('When one instance of a weekly series is cancelled, then each external gets a CANCEL with that RECURRENCE-ID only, and Homer\'s copy cancels that instance', async () => {
    // Arrange
    const booked = await bookMeeting(deps, book({ rrule: 'FREQ=WEEKLY;COUNT=4' }));
    const before = sent.length;
    // Act
    const res = await cancelMeeting(deps, appointmentV1.CancelMeetingRequest.fromPartial({ requestId: 'c-1', organizer: MARGE, uid: booked.uid, recurrenceId: '2026-03-17T08:00:00Z' }));
    // Assert
    const cancels = sent.slice(before);
    expect(cancels.map((s) => [s.request.method, s.request.recipients, s.request.recurrenceId, s.request.sequence])).toEqual([
      ['CANCEL', [LENNY], '2026-03-17T08:00:00.000Z', 1], ['CANCEL', [STRANGER], '2026-03-17T08:00:00.000Z', 1],
    ]);
    const lines = cancels[0]!.request.calendar.split('\r\n');
    expect(lines.filter((l) => l.startsWith('RECURRENCE-ID'))).toEqual(['RECURRENCE-ID;TZID=Europe/Berlin:20260317T090000']);
    expect(lines.some((l) => l.startsWith('RRULE'))).toBe(false);
    expect(res.meeting!.master!.exdate).toEqual(['2026-03-17T08:00:00.000Z']);
    expect(Object.keys((await fx.meetings.find('HOMER', booked.uid))!.tombstones)).toEqual(['2026-03-17T08:00:00.000Z']);
  });

  describe('an associate answers an inbound invitation', () => {
    const UID = 'partner-invite-1';
    const inbound = (): Uint8Array => eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
      mailId: 'mail-in-1', method: 'REQUEST', uid: UID, mail: { from: LENNY, envelopeTo: [HOMER] },
      events: [{
        sequence: 2, dtstamp: new Date('2026-03-01T08:00:00Z'), start: new Date('2026-03-09T08:00:00Z'), end: new Date('2026-03-09T09:00:00Z'), timeZone: 'Europe/Berlin', ianaTimeZone: 'Europe/Berlin',
        summary: 'Partner sync', rrule: ['FREQ=WEEKLY;COUNT=4'], organizer: { address: LENNY }, attendees: [{ address: LENNY, partstat: 'ACCEPTED' }, { address: HOMER, partstat: 'NEEDS-ACTION', rsvp: true }],
      }],
    })).finish();

    test('When Homer accepts, then one REPLY command goes to the organizer with PARTSTAT=ACCEPTED at the invitation\'s SEQUENCE', async () => {
      // Arrange
      await fx.handle({ data: inbound(), seq: 1 });
      // Act
      const res = await respondToInvitation(deps, appointmentV1.RespondToInvitationRequest.fromPartial({ requestId: 'r-1', associate: HOMER, uid: UID, response: Response.RESPONSE_ACCEPT, comment: 'See you' }));
      // Assert
      expect(sent.map((s) => [s.request.method, s.request.recipients, s.request.sequence, s.request.recurrenceId])).toEqual([['REPLY', [LENNY], 2, '']]);
      expect(sent[0]!.request.calendar).toMatch(/ATTENDEE[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:homer@example\.org/);
      expect(sent[0]!.request.calendar).toContain('COMMENT:See you');
      expect(Object.entries(res.meeting!.ownAnswers).map(([rid, a]) => [rid, a.partstat])).toEqual([['', 'ACCEPTED']]);
    });

    test('When Homer declines one occurrence, then the REPLY names that RECURRENCE-ID and the series answer is untouched', async () => {
      // Arrange
      await fx.handle({ data: inbound(), seq: 1 });
      await respondToInvitation(deps, appointmentV1.RespondToInvitationRequest.fromPartial({ requestId: 'r-1', associate: HOMER, uid: UID, response: Response.RESPONSE_ACCEPT }));
      // Act
      const res = await respondToInvitation(deps, appointmentV1.RespondToInvitationRequest.fromPartial({ requestId: 'r-2', associate: HOMER, uid: UID, response: Response.RESPONSE_DECLINE, recurrenceId: '2026-03-16T08:00:00Z' }));
      // Assert
      expect(sent.map((s) => [s.request.method, s.request.recurrenceId])).toEqual([['REPLY', ''], ['REPLY', '2026-03-16T08:00:00.000Z']]);
      expect(sent[1]!.request.calendar).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20260316T090000');
      expect(sent[1]!.request.calendar).toMatch(/PARTSTAT=DECLINED/);
      expect(Object.entries(res.meeting!.ownAnswers).map(([rid, a]) => [rid, a.partstat])).toEqual([['', 'ACCEPTED'], ['2026-03-16T08:00:00.000Z', 'DECLINED']]);
    });
  });

  test('When Homer proposes another time and Marge accepts it, then Marge\'s copy moves, SEQUENCE is bumped, and the externals get the REQUEST', async () => {
    // Arrange
    const booked = await bookMeeting(deps, book());
    // Act
    await proposeNewTime(deps, appointmentV1.ProposeNewTimeRequest.fromPartial({ requestId: 'p-1', associate: HOMER, uid: booked.uid, time: time('2026-03-10T11:00', '2026-03-10T12:00'), comment: 'Later?' }));
    const proposed = await fx.meetings.find('MARGE', booked.uid);
    const accepted = await acceptCounter(deps, appointmentV1.AcceptCounterRequest.fromPartial({ requestId: 'a-1', organizer: MARGE, uid: booked.uid, from: HOMER }));
    // Assert
    expect(proposed!.proposals.map((p) => [p.from, p.start])).toEqual([[HOMER, '2026-03-10T10:00:00.000Z']]);
    expect(accepted.meeting!.master).toMatchObject({ start: '2026-03-10T10:00:00.000Z', version: { sequence: 1 } });
    expect(accepted.meeting!.proposals).toEqual([]);
    expect(accepted.commands.filter((c) => c.kind === 'mail').map((c) => [c.method, c.recipient, c.sequence])).toEqual([['REQUEST', LENNY, 1], ['REQUEST', STRANGER, 1]]);
  });

  test('When Marge removes Homer and Lenny, then Lenny gets a CANCEL, the remaining external the update, and Homer\'s copy is cancelled in place', async () => {
    // Arrange
    const booked = await bookMeeting(deps, book());
    const before = sent.length;
    // Act
    const res = await removeAttendee(deps, appointmentV1.RemoveAttendeeRequest.fromPartial({ requestId: 'rm-1', organizer: MARGE, uid: booked.uid, attendees: [HOMER, LENNY] }));
    // Assert
    expect(sent.slice(before).map((s) => [s.request.method, s.request.recipients, s.request.reason])).toEqual([['REQUEST', [STRANGER], 'UPDATE'], ['CANCEL', [LENNY], 'ATTENDEE_REMOVED']]);
    expect((await fx.meetings.find('HOMER', booked.uid))!.status).toBe('cancelled');
    expect(res.meeting!.master!.attendees.map((a) => a.address)).toEqual([MARGE, STRANGER]);
  });

  test('When Marge declines Homer\'s proposal, then Homer\'s copy records the DECLINECOUNTER and Marge\'s copy no longer holds the proposal', async () => {
    // Arrange
    const booked = await bookMeeting(deps, book());
    await proposeNewTime(deps, appointmentV1.ProposeNewTimeRequest.fromPartial({ requestId: 'p-1', associate: HOMER, uid: booked.uid, time: time('2026-03-10T11:00', '2026-03-10T12:00') }));
    // Act
    const res = await declineCounter(deps, appointmentV1.DeclineCounterRequest.fromPartial({ requestId: 'd-1', organizer: MARGE, uid: booked.uid, from: HOMER, comment: 'Room is taken' }));
    // Assert
    expect(res.meeting!.proposals).toEqual([]);
    expect((await fx.meetings.find('HOMER', booked.uid))!.declinedCounters.map((d) => d.comment)).toEqual([['Room is taken']]);
    expect(res.commands.map((c) => [c.kind, c.method, c.recipient])).toEqual([['copy', 'DECLINECOUNTER', HOMER]]);
  });

  test('When Homer (an attendee) tries to update or cancel Marge\'s meeting, then NOT_ORGANIZER, and nothing changes', async () => {
    // Arrange
    const booked = await bookMeeting(deps, book());
    const count = sent.length;
    // Act
    const err = await cancelMeeting(deps, appointmentV1.CancelMeetingRequest.fromPartial({ organizer: HOMER, uid: booked.uid })).then(() => undefined, (e: unknown) => e);
    // Assert
    expect(isAppError(err) && [err.code, err.details?.['field']]).toEqual(['NOT_ORGANIZER', 'organizer']);
    expect((await fx.meetings.find('HOMER', booked.uid))!.status).toBe('active');
    expect(sent).toHaveLength(count);
  });

  test('When the commands cannot be published (NATS down, or a crash after the save), then they stay on the copy and the re-check publishes them under the same keys', async () => {
    // Arrange
    failing = true;
    const res = await bookMeeting(deps, book());
    const left = await pendingRepo.list(res.meetingId);
    // Act
    failing = false;
    const handed = await deps.flusher.sweep();
    // Assert
    expect(res.commands.filter((c) => c.kind === 'mail').map((c) => c.published)).toEqual([false, false]);
    // Homer's copy (first in address order) was applied before the first publish failed; the two mails stayed.
    expect(left.map((e) => [e.kind, e.method])).toEqual([['mail', 'REQUEST'], ['mail', 'REQUEST']]);
    expect(handed).toBe(2);
    expect(sent.map((s) => s.key)).toEqual(left.filter((e) => e.kind === 'mail').map((e) => e.key));
    expect(await pendingRepo.list(res.meetingId)).toEqual([]);
    expect(await fx.meetings.find('HOMER', res.uid)).toBeDefined();
  });

  describe('bad input: a specific error per field, and nothing written', () => {
    const CASES: [string, () => Promise<unknown>, string, string][] = [
      ['an unknown organizer', () => bookMeeting(deps, book({ organizer: 'nobody@example.org' })), 'UNKNOWN_ASSOCIATE', 'organizer'],
      ['an unknown associate id among the participants', () => bookMeeting(deps, book({ participants: [LENNY, 'NO-SUCH-ID'] })), 'UNKNOWN_ASSOCIATE', 'participants[1]'],
      ['an end before the start', () => bookMeeting(deps, book({ time: time('2026-03-10T10:00', '2026-03-10T09:00') })), 'INVALID_TIME_RANGE', 'time.end'],
      ['an RRULE that does not parse', () => bookMeeting(deps, book({ rrule: 'FREQ=SOMETIMES' })), 'INVALID_RRULE', 'rrule'],
      ['an unknown time zone', () => bookMeeting(deps, book({ time: time('2026-03-10T09:00', '2026-03-10T10:00', 'Mars/Olympus') })), 'INVALID_TIME_ZONE', 'time.time_zone'],
      ['responding to a meeting the associate is not invited to', () => respondToInvitation(deps, appointmentV1.RespondToInvitationRequest.fromPartial({ associate: HOMER, uid: 'never-invited', response: Response.RESPONSE_ACCEPT })), 'NOT_INVITED', 'uid'],
    ];

    test.each(CASES)('When BookMeeting or RespondToInvitation gets %s, then it is refused with its code naming the field, and nothing is stored or sent', async (_name, call, code, field) => {
      // Act
      const err = await call().then(() => undefined, (e: unknown) => e);
      // Assert
      expect(isAppError(err) && [err.code, err.details?.['field']]).toEqual([code, field]);
      expect(await fx.mongo.db.collection('meetings').countDocuments({})).toBe(0);
      expect(await fx.mongo.db.collection('invite_outcomes').countDocuments({})).toBe(0);
      expect(sent).toEqual([]);
    });
  });
});
