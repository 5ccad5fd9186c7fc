// The gRPC API (ListDiary, GetMeeting, ImportMeeting, MeetingHistory, ExplainMail) on a real
// MongoDB-wire server: messages go in through the handler as the consumer calls it, the
// answers come from the RPC functions the server wires (grpc/appointment.grpc.ts).
import { appointmentV1, eventsV1, identityV1 } from '@inviteflow/proto-gen';
import { explainMail } from '../src/grpc/explain-mail.rpc';
import { listDiary } from '../src/grpc/diary.rpc';
import { importMeeting } from '../src/grpc/import-meeting.rpc';
import { getMeeting, meetingHistory } from '../src/grpc/meeting.rpc';
import { ApplyFixture, startApplyFixture } from './appointment.fixture';
import { FakeIdentity } from './fake-identity';

const MARGE = 'marge@example.org';
const HOMER = 'homer@example.org';
const GUEST = 'guest@partner.example';
const NOW = new Date('2026-03-02T12:00:00Z');
const SHA = 'ab'.repeat(32);
const { DiaryStatus } = appointmentV1;

/** The fake directory, plus GetAssociate by id (what `meeting import --owner <id>` asks). */
class Directory extends FakeIdentity {
  async getAssociate(owner: string): Promise<identityV1.Associate | undefined> {
    const a = this.associates.get(owner);
    return a && identityV1.Associate.fromPartial({ id: owner, primaryAddress: a.primaryAddress, aliases: a.aliases ?? [], timeZone: a.timeZone ?? '' });
  }
}

const party = (address: string, partstat = 'NEEDS-ACTION'): eventsV1.CalendarParty => eventsV1.CalendarParty.fromPartial({ address, partstat });

function event(o: Partial<eventsV1.CalendarEvent> = {}): eventsV1.CalendarEvent {
  return eventsV1.CalendarEvent.fromPartial({
    sequence: 0, dtstamp: new Date('2026-03-01T08:00:00Z'), start: new Date('2026-03-10T09:00:00Z'), end: new Date('2026-03-10T10:00:00Z'),
    timeZone: 'Europe/Berlin', summary: 'Planning', organizer: party(MARGE), attendees: [party(MARGE, 'ACCEPTED'), party(HOMER), party(GUEST)],
    onlineMeetingUrl: 'https://teams.example/join/1', onlineMeetingProvider: 'teams', ...o,
  });
}

function message(o: { mailId: string; method: string; uid: string; from: string; to: string[]; events: eventsV1.CalendarEvent[] }): Uint8Array {
  return eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
    mailId: o.mailId, method: o.method, uid: o.uid, events: o.events, mail: { from: o.from, envelopeTo: o.to },
  })).finish();
}

describe('the appointment gRPC API on a MongoDB-wire server', () => {
  let fx: ApplyFixture;
  let identity: Directory;
  let deps: Parameters<typeof importMeeting>[0];

  beforeEach(async () => {
    identity = new Directory();
    identity.addAssociate('MARGE', { primaryAddress: MARGE, timeZone: 'Europe/Berlin' });
    identity.addAssociate('HOMER', { primaryAddress: HOMER, aliases: ['h.simpson@example.org'] });
    identity.persons.set(GUEST, 'GUEST');
    fx = await startApplyFixture(identity, ['example.org'], () => NOW);
    deps = { meetings: fx.meetings, outcomes: fx.outcomes, identity, now: () => NOW };
  });

  afterEach(async () => fx.close());

  test('When the organizer imports a meeting and an external attendee\'s REPLY arrives by mail, then GetMeeting shows that attendee ACCEPTED on the organizer\'s copy', async () => {
    // Arrange
    const imported = await importMeeting(deps, { owner: 'MARGE', uid: 'u-import', events: [event()], source: 'planning.ics', sha256: SHA });
    // Act
    const reply = event({ attendees: [party(GUEST, 'ACCEPTED')] });
    await fx.handle({ data: message({ mailId: 'reply-1', method: 'REPLY', uid: 'u-import', from: GUEST, to: [MARGE], events: [reply] }), seq: 7 });
    const res = await getMeeting(deps, { uid: 'u-import', owner: MARGE });
    const history = await meetingHistory(fx.outcomes, { uid: 'u-import' });
    // Assert
    expect(history.entries.map((e) => [e.mailId, e.method, e.outcome])).toEqual([[`import:${SHA}`, 'REQUEST', 'APPLIED'], ['reply-1', 'REPLY', 'APPLIED']]);
    expect(imported).toMatchObject({ associateId: 'MARGE', mailId: `import:${SHA}`, outcome: 'APPLIED', saved: true, meeting: { role: 'organizer' } });
    expect(res.copies).toHaveLength(1);
    const copy = res.copies[0]!;
    expect(copy).toMatchObject({ role: 'organizer', status: 'active', sequence: 0, organizer: { address: MARGE }, conferenceUrl: 'https://teams.example/join/1' });
    expect(copy.attendance[0]!.attendees).toEqual(expect.arrayContaining([{ address: GUEST, partstat: 'ACCEPTED', source: 'reply' }]));
    expect(copy.icalendar).toMatch(/ATTENDEE;PARTSTAT=ACCEPTED:mailto:guest@partner\.example/);
    expect(JSON.parse(copy.modelJson)).toMatchObject({ uid: 'u-import', role: 'organizer' });
  });

  test('When the same file is imported twice, then the second import is DUPLICATE, saves nothing, and the history keeps the first record', async () => {
    // Arrange
    await importMeeting(deps, { owner: MARGE, uid: 'u-twice', events: [event()], source: 'a.ics', sha256: SHA });
    // Act
    const again = await importMeeting(deps, { owner: MARGE, uid: 'u-twice', events: [event()], source: 'a.ics', sha256: SHA });
    const history = await meetingHistory(fx.outcomes, { uid: 'u-twice' });
    // Assert
    expect(again).toMatchObject({ outcome: 'DUPLICATE', saved: false });
    expect(history.entries.map((e) => [e.mailId, e.outcome])).toEqual([[`import:${SHA}`, 'APPLIED']]);
    expect(history.entries[0]!.recipients[0]!.decisions[0]).toMatchObject({ code: 'APPLIED' });
  });

  test('When an attendee\'s copy is imported, then it is an attendee copy, and an unknown owner is NOT_FOUND', async () => {
    // Act
    const res = await importMeeting(deps, { owner: 'h.simpson@example.org', uid: 'u-att', events: [event()], source: 'b.ics', sha256: '' });
    // Assert
    expect(res).toMatchObject({ associateId: 'HOMER', outcome: 'APPLIED', meeting: { role: 'attendee', tentative: true } });
    expect(res.mailId).toMatch(/^import:[0-9a-f]{64}$/);
    await expect(importMeeting(deps, { owner: 'NOBODY', uid: 'u-att', events: [event()], source: '', sha256: '' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(importMeeting(deps, { owner: MARGE, uid: 'u-att', events: [], source: '', sha256: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('When a weekly series reaches Homer and one instance is cancelled, then ListDiary expands the window with each instance\'s status, the cancelled one kept', async () => {
    // Arrange: four Tuesdays from 10 March, then a CANCEL of the second
    const series = event({ rrule: ['FREQ=WEEKLY;COUNT=4'] });
    await fx.handle({ data: message({ mailId: 'req-1', method: 'REQUEST', uid: 'u-weekly', from: MARGE, to: [HOMER], events: [series] }), seq: 1 });
    const cancel = event({ sequence: 1, recurrenceId: '2026-03-17T09:00:00.000Z', start: new Date('2026-03-17T09:00:00Z'), end: new Date('2026-03-17T10:00:00Z'), status: 'CANCELLED' });
    await fx.handle({ data: message({ mailId: 'cancel-1', method: 'CANCEL', uid: 'u-weekly', from: MARGE, to: [HOMER], events: [cancel] }), seq: 2 });
    // Act
    const diary = await listDiary({ ...deps, now: () => NOW }, { associate: HOMER, from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-25T00:00:00Z') });
    // Assert
    expect(diary.associateId).toBe('HOMER');
    expect(diary.entries.map((e) => [e.start?.toISOString(), e.status])).toEqual([
      ['2026-03-10T09:00:00.000Z', DiaryStatus.DIARY_STATUS_TENTATIVE],
      ['2026-03-17T09:00:00.000Z', DiaryStatus.DIARY_STATUS_CANCELLED],
      ['2026-03-24T09:00:00.000Z', DiaryStatus.DIARY_STATUS_TENTATIVE],
    ]);
    expect(diary.entries[0]).toMatchObject({ uid: 'u-weekly', recurrenceId: '2026-03-10T09:00:00.000Z', role: 'attendee', organizer: { address: MARGE }, conferenceUrl: 'https://teams.example/join/1' });
  });

  test('When no window is given, then a one-off meeting from months ago is still listed', async () => {
    // Arrange: the diary is read nine months after the meeting
    await fx.handle({ data: message({ mailId: 'req-2', method: 'REQUEST', uid: 'u-old', from: MARGE, to: [HOMER], events: [event()] }), seq: 1 });
    // Act
    const diary = await listDiary({ ...deps, now: () => new Date('2026-12-02T00:00:00Z') }, { associate: 'HOMER' });
    // Assert
    expect(diary.entries.map((e) => e.uid)).toEqual(['u-old']);
    expect(diary.from).toEqual(new Date('2026-11-02T00:00:00Z'));
  });

  test('When a mail is explained, then each recipient\'s outcome comes with its decisions and the copy it touched', async () => {
    // Arrange: one recipient known, one of our domain nobody holds (parked)
    await fx.handle({ data: message({ mailId: 'req-3', method: 'REQUEST', uid: 'u-x', from: MARGE, to: [HOMER, 'new@example.org'], events: [event()] }), seq: 3 });
    // Act
    const res = await explainMail(fx, { mailId: 'req-3', uids: ['u-x'] });
    // Assert
    expect(res.outcomes).toHaveLength(1);
    expect(res.outcomes[0]).toMatchObject({ uid: 'u-x', outcome: 'APPLIED', meetingIds: ['HOMER|u-x'], parkedFor: ['new@example.org'] });
    expect(res.outcomes[0]!.recipients.map((r) => [r.address, r.outcome])).toEqual([[HOMER, 'APPLIED'], ['new@example.org', 'PARKED']]);
    expect(res.outcomes[0]!.recipients[0]!.decisions[0]).toMatchObject({ code: 'APPLIED', changes: expect.arrayContaining(['CREATED']) });
    expect(res.meetings.map((m) => [m.id, m.role])).toEqual([['HOMER|u-x', 'attendee']]);
    expect(await explainMail(fx, { mailId: 'unknown', uids: [] })).toEqual({ mailId: 'unknown', outcomes: [], meetings: [] });
  });

  test('When a UID is unknown, then GetMeeting and MeetingHistory say NOT_FOUND', async () => {
    // Act / Assert
    await expect(getMeeting(deps, { uid: 'nope', owner: '' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(meetingHistory(fx.outcomes, { uid: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getMeeting(deps, { uid: '', owner: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
