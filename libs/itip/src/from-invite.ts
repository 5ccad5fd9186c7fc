// The parser's normalised VEVENT (invite.parsed.v1) → a Component of the model.
import type { eventsV1 } from '@inviteflow/proto-gen';
import type { Attendee, Caution, Component, Party } from './meeting.model';
import { placeInZone } from './zone-time';

export interface IncomingComponent {
  component: Component;
  /** The VEVENT's attendees as sent, for REPLY / COUNTER authority checks. */
  comment: string[];
  cautions: Caution[];
}

const iso = (d: Date | undefined): string => (d ? d.toISOString() : '');

export function partyOf(p: eventsV1.CalendarParty | undefined): Party {
  return { address: p?.address.toLowerCase() ?? '', name: p?.name ?? '', sentBy: p?.sentBy.toLowerCase() ?? '' };
}

export function attendeeOf(p: eventsV1.CalendarParty): Attendee {
  return {
    ...partyOf(p),
    partstat: p.partstat.toUpperCase() || 'NEEDS-ACTION',
    role: p.role,
    rsvp: p.rsvp,
    cutype: p.cutype,
    delegatedTo: [...p.delegatedTo].map((a) => a.toLowerCase()).sort(),
    delegatedFrom: [...p.delegatedFrom].map((a) => a.toLowerCase()).sort(),
    scheduleAgent: p.scheduleAgent.toUpperCase(),
  };
}

export function sortAttendees(attendees: Attendee[]): Attendee[] {
  return [...attendees].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/**
 * A floating time (RFC 5545 §3.3.5 form #1) or a TZID nobody could resolve was read by the parser
 * as UTC; it is the sender's wall time, so it is placed in the receiving owner's zone and flagged
 * (issue 9: "never silently read as UTC").
 */
function zoneAssumed(event: eventsV1.CalendarEvent): boolean {
  return !event.allDay && (event.floating || event.timeZoneSource === 'unresolved');
}

export function componentOf(event: eventsV1.CalendarEvent, ownerZone: string): IncomingComponent {
  const assume = zoneAssumed(event);
  const place = (value: string): string => (assume ? placeInZone(value, ownerZone) : value);
  const ridIsWall = event.recurrenceIdOriginal ? !event.recurrenceIdOriginal.value.endsWith('Z') && event.recurrenceIdOriginal.value.length > 8 : false;
  const ridUnresolved = ridIsWall && (event.recurrenceIdOriginal?.tzid === '' || event.timeZoneSource === 'unresolved');
  const component: Component = {
    recurrenceId: ridUnresolved ? placeInZone(event.recurrenceId, ownerZone) : event.recurrenceId,
    range: event.recurrenceIdRange.toUpperCase() === 'THISANDFUTURE' ? 'THISANDFUTURE' : '',
    version: { sequence: event.sequence, dtstamp: iso(event.dtstamp) },
    start: place(iso(event.start)),
    end: place(iso(event.end)),
    timeZone: assume ? ownerZone : event.ianaTimeZone || event.timeZone,
    allDay: event.allDay,
    summary: event.summary,
    location: event.location,
    description: event.description,
    status: event.status.toUpperCase(),
    organizer: partyOf(event.organizer),
    attendees: sortAttendees(event.attendees.map(attendeeOf)),
    rrule: [...event.rrule],
    rdate: event.rdate.map((v) => (assume ? place(v) : v)).sort(),
    exdate: event.exdate.map((v) => (assume ? place(v) : v)).sort(),
  };
  if (event.onlineMeetingUrl) component.conference = { url: event.onlineMeetingUrl, provider: event.onlineMeetingProvider };
  const cautions: Caution[] = assume
    ? [{ code: 'TIME_ZONE_ASSUMED', detail: `${event.floating ? 'floating time' : `unknown TZID ${event.timeZone}`} placed in ${ownerZone}` }]
    : [];
  return { component, comment: [...event.comment], cautions };
}
