import type { Attendee, Component, ItipMessage } from '@inviteflow/itip';
import { eventsV1 } from '@inviteflow/proto-gen';
import { buildCommands, type CommandContext } from './outbound.commands';
import type { PartyDirectory } from './crm.parties';

const attendee = (address: string, partstat: string, extra: Partial<Attendee> = {}): Attendee => ({
  address, name: '', sentBy: '', partstat, role: 'REQ-PARTICIPANT', rsvp: true, cutype: 'INDIVIDUAL', delegatedTo: [], delegatedFrom: [], scheduleAgent: '', ...extra,
});

const component = (attendees: Attendee[]): Component => ({
  recurrenceId: '', range: '', version: { sequence: 0, dtstamp: '2026-03-01T07:00:00.000Z' }, start: '2026-03-10T08:00:00.000Z', end: '2026-03-10T09:00:00.000Z',
  timeZone: 'Europe/Oslo', allDay: false, summary: 'Tasting', location: '', description: '', status: 'CONFIRMED',
  organizer: { address: 'marge@example.org', name: 'Marge', sentBy: '' }, attendees, rrule: [], rdate: [], exdate: [],
});

const dir: PartyDirectory = new Map([['guest@partner.example', { address: 'guest@partner.example', name: 'Guest', kind: 'external', locale: 'de-DE', timeZone: 'Europe/Berlin' }]]);
const ctx = (extra: Partial<CommandContext> = {}): CommandContext => ({
  auditMailId: 'crm:r1', meetingId: 'a1:uid-1', now: new Date('2026-03-01T07:00:00Z'),
  actor: { address: 'marge@example.org', name: 'Marge', owner: { associateId: 'a1', address: 'marge@example.org', addresses: ['marge@example.org'], timeZone: 'Europe/Oslo' } }, ...extra,
});
const decode = (payload: string): eventsV1.OutboundRequested => eventsV1.OutboundRequested.decode(Buffer.from(payload, 'base64'));

describe('buildCommands: what outbound-mail renders from (issue 11)', () => {
  test('When a booking is sent, then the command carries the structured events with the answers known, the organizer as actor and reason NEW', () => {
    // Arrange
    const answered = attendee('other@partner.example', 'NEEDS-ACTION', { answer: { partstat: 'ACCEPTED', version: { sequence: 0, dtstamp: '' }, comment: [], delegatedTo: [], mailId: 'm' } });
    const msg: ItipMessage = { method: 'REQUEST', uid: 'uid-1', sequence: 0, recipients: [{ address: 'guest@partner.example', internal: false }], components: [component([attendee('guest@partner.example', 'NEEDS-ACTION'), answered])], reason: 'SIGNIFICANT_CHANGE' };
    // Act
    const cmd = decode(buildCommands([msg], dir, ctx({ newMeeting: true })).pending[0]!.payload!);
    // Assert
    expect([cmd.reason, cmd.actor?.address, cmd.actor?.name]).toEqual(['NEW', 'marge@example.org', 'Marge']);
    expect(cmd.events.map((e) => [e.summary, e.timeZone, e.start?.toISOString(), e.attendees.map((a) => [a.address, a.partstat])])).toEqual([
      ['Tasting', 'Europe/Oslo', '2026-03-10T08:00:00.000Z', [['guest@partner.example', 'NEEDS-ACTION'], ['other@partner.example', 'ACCEPTED']]],
    ]);
  });

  test('When the associate answers, then the REPLY command names the answering attendee as actor and keeps its reason', () => {
    // Arrange
    const msg: ItipMessage = { method: 'REPLY', uid: 'uid-1', sequence: 0, recipients: [{ address: 'guest@partner.example', internal: false }], components: [component([attendee('marge@example.org', 'TENTATIVE', { name: 'Marge S.' })])], reason: 'OWN_ANSWER', comment: ['Maybe'] };
    // Act
    const cmd = decode(buildCommands([msg], dir, ctx({ newMeeting: true })).pending[0]!.payload!);
    // Assert
    expect([cmd.reason, cmd.actor?.address, cmd.actor?.name]).toEqual(['OWN_ANSWER', 'marge@example.org', 'Marge S.']);
    expect(cmd.events[0]!.comment).toEqual(['Maybe']);
  });
});
