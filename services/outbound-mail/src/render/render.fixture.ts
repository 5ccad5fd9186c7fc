// Commands for the renderer's tests: Marge (organizer, Europe/Oslo) and her weekly bakery
// meeting with Homer and an external guest, as appointment's outbound.commands.ts writes them.
import { eventsV1 } from '@inviteflow/proto-gen';
import type { RenderOptions } from './render.types';

export const MARGE = { address: 'marge@example.org', name: 'Marge Simpson' };
export const GUEST = { address: 'guest@partner.example', name: 'Günter "G" Bäcker' };

export const OPTIONS: RenderOptions = {
  from: { kind: 'organizer' }, messageIdDomain: 'inviteflow.test', now: () => new Date('2026-03-01T08:00:00Z'),
};

const party = (p: { address: string; name: string }, partstat = 'NEEDS-ACTION', role = 'REQ-PARTICIPANT'): eventsV1.CalendarParty =>
  eventsV1.CalendarParty.fromPartial({ ...p, partstat, role, rsvp: partstat === 'NEEDS-ACTION', cutype: 'INDIVIDUAL' });

/** The weekly series: Tuesdays 09:00–10:00 Oslo time from 10 March 2026, 17 March excluded. */
export function master(overrides: Partial<eventsV1.CalendarEvent> = {}): eventsV1.CalendarEvent {
  return eventsV1.CalendarEvent.fromPartial({
    sequence: 2, dtstamp: new Date('2026-03-01T07:00:00Z'), start: new Date('2026-03-10T08:00:00Z'), end: new Date('2026-03-10T09:00:00Z'),
    timeZone: 'Europe/Oslo', summary: 'Bakery <tasting> & plans', location: 'Kwik-E-Mart, back room', description: 'Bring the figures.\nAnd cake.',
    status: 'CONFIRMED', organizer: { address: MARGE.address, name: MARGE.name },
    attendees: [party(MARGE, 'ACCEPTED', 'CHAIR'), party(GUEST)], rrule: ['FREQ=WEEKLY;BYDAY=TU;COUNT=6'], exdate: ['2026-03-17T08:00:00.000Z'],
    onlineMeetingUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=x', onlineMeetingProvider: 'teams',
    ...overrides,
  });
}

/** The 24 March occurrence moved to 11:00 (in London time, to use a second zone). */
export function override(overrides: Partial<eventsV1.CalendarEvent> = {}): eventsV1.CalendarEvent {
  return master({
    recurrenceId: '2026-03-24T08:00:00.000Z', start: new Date('2026-03-24T11:00:00Z'), end: new Date('2026-03-24T12:00:00Z'),
    timeZone: 'Europe/London', rrule: [], exdate: [], ...overrides,
  });
}

export function command(overrides: Partial<eventsV1.OutboundRequested> = {}): eventsV1.OutboundRequested {
  const events = overrides.events ?? [master(), override()];
  return eventsV1.OutboundRequested.fromPartial({
    requestId: 'crm:req-1:bakery-1@example.org:2:REQUEST::guest@partner.example', method: 'REQUEST', uid: 'bakery-1@example.org', sequence: 2,
    recipients: [GUEST.address], recipientLocale: '', recipientTimeZone: '', recipientName: GUEST.name, organizer: { address: MARGE.address, name: MARGE.name },
    summary: events[0]?.summary ?? '', start: events[0]?.start, end: events[0]?.end, timeZone: 'Europe/Oslo', reason: 'SIGNIFICANT_CHANGE',
    requestedAt: new Date('2026-03-01T07:00:00Z'), actor: { address: MARGE.address, name: MARGE.name }, events, ...overrides,
  });
}

/** The guest's REPLY to Marge: only the replying attendee, with the answer (RFC 5546 §3.2.3). */
export function reply(partstat: string, overrides: Partial<eventsV1.OutboundRequested> = {}): eventsV1.OutboundRequested {
  const answer = master({ attendees: [party(GUEST, partstat)], rrule: [], exdate: [] });
  return command({
    method: 'REPLY', reason: 'OWN_ANSWER', recipients: [MARGE.address], recipientName: MARGE.name, actor: eventsV1.CalendarParty.fromPartial(GUEST),
    requestId: `crm:req-2:bakery-1@example.org:2:REPLY::${MARGE.address}`, events: [answer], ...overrides,
  });
}
