// The inverse of from-invite.ts: an outbound ItipMessage → the InviteParsed the parser would have
// made of it. Associates are updated in place, never mailed (domain.md §2); the appointment
// service hands them this, through the same applyMessage path as mail, so SEQUENCE, tombstones
// and the authority checks treat a CRM change exactly as they treat the mail it replaces.
import { eventsV1 } from '@inviteflow/proto-gen';
import type { ItipMessage } from './decision';
import type { Attendee, Component, Party } from './meeting.model';

export interface InviteOrigin {
  /** The synthetic mail id the change is recorded under (e.g. `crm:<request id>`). */
  mailId: string;
  /** Who sent it: the organizer (REQUEST, CANCEL, DECLINECOUNTER) or the attendee (REPLY, COUNTER). */
  from: string;
  /** Envelope recipients: the associates whose copies it is applied to. */
  to: string[];
}

const date = (iso: string): Date | undefined => (iso ? new Date(iso) : undefined);

function partyOut(p: Party): eventsV1.CalendarParty {
  return eventsV1.CalendarParty.fromPartial({ address: p.address, name: p.name, sentBy: p.sentBy });
}

function attendeeOut(a: Attendee): eventsV1.CalendarParty {
  return eventsV1.CalendarParty.fromPartial({
    address: a.address, name: a.name, sentBy: a.sentBy, partstat: a.partstat, role: a.role, rsvp: a.rsvp, cutype: a.cutype,
    delegatedTo: a.delegatedTo, delegatedFrom: a.delegatedFrom, scheduleAgent: a.scheduleAgent,
  });
}

/**
 * One Component as the parser's CalendarEvent. Times are instants already placed in their zone,
 * so the zone is given as a resolved IANA zone (never floating: componentOf must not re-place it).
 */
export function eventOf(c: Component, comment: string[] = []): eventsV1.CalendarEvent {
  return eventsV1.CalendarEvent.fromPartial({
    recurrenceId: c.recurrenceId, recurrenceIdRange: c.range, sequence: c.version.sequence, dtstamp: date(c.version.dtstamp),
    start: date(c.start), end: date(c.end), timeZone: c.timeZone, ianaTimeZone: c.timeZone,
    timeZoneSource: c.allDay ? 'date' : c.timeZone ? 'iana' : 'utc', allDay: c.allDay,
    summary: c.summary, location: c.location, description: c.description, status: c.status,
    organizer: partyOut(c.organizer), attendees: c.attendees.map(attendeeOut),
    rrule: c.rrule, rdate: c.rdate, exdate: c.exdate, comment,
    onlineMeetingUrl: c.conference?.url ?? '', onlineMeetingProvider: c.conference?.provider ?? '',
  });
}

/** The message as invite.parsed.v1 carries it: the master (if any) first, then overrides. */
export function inviteOf(msg: ItipMessage, origin: InviteOrigin): eventsV1.InviteParsed {
  const events = [...msg.components].sort((a, b) => Number(a.recurrenceId !== '') - Number(b.recurrenceId !== '') || (a.recurrenceId < b.recurrenceId ? -1 : 1));
  return eventsV1.InviteParsed.fromPartial({
    mailId: origin.mailId, method: msg.method, uid: msg.uid,
    events: events.map((c) => eventOf(c, msg.comment ?? [])),
    mail: { from: origin.from, envelopeFrom: origin.from, envelopeTo: origin.to, to: origin.to },
  });
}
