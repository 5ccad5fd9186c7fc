// The scheduling agent as the consumer runs it — identity lookups, libs/itip, the version-guarded
// save, the audit — on a real MongoDB-wire server (issue 9 §3, §4): who may say what, aliases on
// both sides, held replies, redeliveries, floating times, and the history of one meeting.
import { eventsV1 } from '@inviteflow/proto-gen';
import { ApplyFixture, startApplyFixture } from './appointment.fixture';
import { FakeIdentity } from './fake-identity';

const HOMER = 'homer@example.org';
const MARGE = 'marge@example.org';
const LENNY = 'lenny@partner.example';
const LENNY_ALIAS = 'l.leonard@partner.example';
const CARL = 'carl@partner.example';
const at = (iso: string) => new Date(iso);

type Party = { address: string; partstat?: string; sentBy?: string };
interface Msg { mailId: string; method: string; to: string[]; from: string; uid?: string; seq?: number; stamp?: string; start?: Date; organizer?: string; attendees?: Party[]; floating?: boolean; summary?: string }

function encode(m: Msg): Uint8Array {
  const timed = m.method === 'REQUEST';
  return eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
    mailId: m.mailId, method: m.method, uid: m.uid ?? 'review', mail: { envelopeTo: m.to, from: m.from },
    events: [{
      sequence: m.seq ?? 0, dtstamp: at(m.stamp ?? '2026-04-01T08:00:00Z'),
      start: timed ? m.start ?? at('2026-04-07T08:00:00Z') : undefined, end: timed ? new Date((m.start ?? at('2026-04-07T08:00:00Z')).getTime() + 3_600_000) : undefined,
      floating: m.floating ?? false, timeZoneSource: m.floating ? 'floating' : 'utc',
      summary: m.summary ?? 'Review', organizer: m.organizer === '' ? undefined : { address: m.organizer ?? MARGE },
      attendees: (m.attendees ?? [{ address: HOMER }, { address: LENNY }]).map((p) => ({ partstat: 'NEEDS-ACTION', ...p })),
    }],
  })).finish();
}

describe('the scheduling agent on the apply path', () => {
  let fx: ApplyFixture;
  let identity: FakeIdentity;
  let seq = 0;
  const deliver = (m: Msg) => fx.handle({ data: encode(m), seq: ++seq });

  beforeEach(async () => {
    identity = new FakeIdentity();
    identity.addAssociate('HOMER', { primaryAddress: HOMER, aliases: ['h.simpson@example.org'], timeZone: 'America/New_York' });
    identity.addAssociate('MARGE', { primaryAddress: MARGE, timeZone: 'Europe/Oslo' });
    identity.persons.set(LENNY, 'P-LENNY');
    identity.persons.set(LENNY_ALIAS, 'P-LENNY');
    fx = await startApplyFixture(identity, ['example.org']);
  });

  afterEach(async () => fx.close());

  test('When an invitation reaches an associate at an alias while ATTENDEE names their primary address, then their copy is one tentative attendee copy', async () => {
    await deliver({ mailId: 'm1', method: 'REQUEST', to: ['h.simpson@example.org'], from: LENNY, organizer: LENNY, attendees: [{ address: HOMER }] });
    const copy = await fx.meetings.find('HOMER', 'review');
    expect([copy?.role, copy?.tentative, copy?.owner.addresses.sort()]).toEqual(['attendee', true, ['h.simpson@example.org', HOMER]]);
  });

  test('When the organizer copy gets a REPLY by an attendee writing from another of their addresses, then it is applied; about someone else it is UNAUTHORISED', async () => {
    // Arrange: Marge organizes; her copy comes from the REQUEST her own client sent her
    await deliver({ mailId: 'req', method: 'REQUEST', to: [MARGE], from: MARGE });
    // Act
    await deliver({ mailId: 'lenny-yes', method: 'REPLY', to: [MARGE], from: LENNY_ALIAS, attendees: [{ address: LENNY, partstat: 'ACCEPTED' }] });
    await deliver({ mailId: 'carl-for-homer', method: 'REPLY', to: [MARGE], from: CARL, attendees: [{ address: HOMER, partstat: 'DECLINED' }] });
    await deliver({ mailId: 'carl-self', method: 'REPLY', to: [MARGE], from: CARL, attendees: [{ address: CARL, partstat: 'ACCEPTED' }] });
    // Assert
    const copy = (await fx.meetings.find('MARGE', 'review'))!;
    expect(copy.role).toBe('organizer');
    expect(copy.master!.attendees.map((a) => [a.address, a.answer?.partstat ?? a.partstat])).toEqual([[HOMER, 'NEEDS-ACTION'], [LENNY, 'ACCEPTED']]);
    const [forHomer] = await fx.outcomes.findForMail('carl-for-homer', ['review']);
    expect(forHomer!.recipients!.map((r) => [r.outcome, r.decisions[0]!.reason])).toEqual([['UNAUTHORISED', 'NOT_FROM_ATTENDEE']]);
    const [self] = await fx.outcomes.findForMail('carl-self', ['review']);
    expect(self).toMatchObject({ outcome: 'UNSOLICITED' });
  });

  test('When a REPLY arrives before the REQUEST that creates the organizer copy, then it is held and applied once the copy exists', async () => {
    await deliver({ mailId: 'early', method: 'REPLY', to: [MARGE], from: LENNY, attendees: [{ address: LENNY, partstat: 'TENTATIVE' }] });
    expect((await fx.outcomes.findForMail('early', ['review']))[0]).toMatchObject({ outcome: 'NO_MATCHING_MEETING' });
    expect(await fx.held.copyIds()).toEqual(['MARGE|review']);
    await deliver({ mailId: 'req', method: 'REQUEST', to: [MARGE], from: MARGE });
    const copy = (await fx.meetings.find('MARGE', 'review'))!;
    expect(copy.master!.attendees.find((a) => a.address === LENNY)?.answer?.partstat).toBe('TENTATIVE');
    expect((await fx.outcomes.findForMail('early', ['review']))[0]).toMatchObject({ outcome: 'APPLIED' });
    expect(await fx.held.copyIds()).toEqual([]);
  });

  test('When a message is delivered again, then it is a DUPLICATE and nothing is saved or announced twice', async () => {
    await deliver({ mailId: 'req', method: 'REQUEST', to: [HOMER], from: MARGE });
    const before = await fx.meetings.find('HOMER', 'review');
    await deliver({ mailId: 'req', method: 'REQUEST', to: [HOMER], from: MARGE });
    expect((await fx.meetings.find('HOMER', 'review'))!.version).toBe(before!.version);
    expect(fx.published.map((p) => [p.saved, p.codes.join()])).toEqual([[true, 'APPLIED'], [false, 'DUPLICATE']]);
  });

  test('When an update comes from someone who is not the organizer, then it is UNAUTHORISED and the copy is unchanged', async () => {
    await deliver({ mailId: 'req', method: 'REQUEST', to: [HOMER], from: MARGE });
    await deliver({ mailId: 'hijack', method: 'REQUEST', to: [HOMER], from: CARL, organizer: CARL, seq: 5, summary: 'Hijacked' });
    expect((await fx.meetings.find('HOMER', 'review'))!.master!.summary).toBe('Review');
    expect((await fx.outcomes.findForMail('hijack', ['review']))[0]!.recipients![0]!.decisions[0]).toMatchObject({ code: 'UNAUTHORISED', reason: 'ORGANIZER_MISMATCH' });
  });

  test('When a time comes without a zone, then it is placed in the receiving associate\'s zone and flagged, not read as UTC', async () => {
    // 09:00 floating (the parser reads it as 09:00Z) is 09:00 in New York for Homer
    await deliver({ mailId: 'req', method: 'REQUEST', to: [HOMER], from: MARGE, start: at('2026-04-07T09:00:00Z'), floating: true });
    const copy = (await fx.meetings.find('HOMER', 'review'))!;
    expect([copy.master!.start, copy.master!.timeZone]).toEqual(['2026-04-07T13:00:00.000Z', 'America/New_York']);
    expect(copy.cautions.map((c) => c.code)).toEqual(['TIME_ZONE_ASSUMED']);
  });

  test('When a CANCEL arrives before its REQUEST, then the late REQUEST does not bring the meeting back, and the history lists both in arrival order', async () => {
    await deliver({ mailId: 'cancel', method: 'CANCEL', to: [HOMER], from: MARGE, seq: 1, stamp: '2026-04-02T08:00:00Z' });
    await deliver({ mailId: 'req', method: 'REQUEST', to: [HOMER], from: MARGE, seq: 0 });
    expect((await fx.meetings.find('HOMER', 'review'))!.status).toBe('cancelled');
    const history = await fx.outcomes.historyOf('review');
    expect(history.map((h) => [h.mailId, h.method, h.outcome])).toEqual([['cancel', 'CANCEL', 'APPLIED'], ['req', 'REQUEST', 'STALE']]);
  });
});
