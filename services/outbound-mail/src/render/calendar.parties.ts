// ORGANIZER and ATTENDEE (RFC 5545 §3.8.4.3, §3.8.4.1) as ical-generator takes them; parameter
// values outside the RFC's enumerations are left out rather than written wrong.
import { ICalAttendeeRole, ICalAttendeeStatus, ICalAttendeeType, type ICalAttendeeData, type ICalAttendeeScheduleAgent, type ICalOrganizer } from 'ical-generator';
import type { eventsV1 } from '@inviteflow/proto-gen';

const ROLES = new Set<string>(Object.values(ICalAttendeeRole));
const PARTSTATS = new Set<string>(Object.values(ICalAttendeeStatus));
const CUTYPES = new Set<string>(Object.values(ICalAttendeeType));
// RFC 6638 §7.1; SERVER is the default and left out.
const AGENTS = new Set<string>(['CLIENT', 'NONE']);

export function organizerData(p: eventsV1.CalendarParty): ICalOrganizer {
  return { email: p.address, name: p.name || p.address, ...(p.sentBy ? { sentBy: p.sentBy } : {}) };
}

export function attendeeData(a: eventsV1.CalendarParty): ICalAttendeeData {
  return {
    email: a.address,
    name: a.name || null,
    role: ROLES.has(a.role) ? (a.role as ICalAttendeeRole) : ICalAttendeeRole.REQ,
    status: PARTSTATS.has(a.partstat) ? (a.partstat as ICalAttendeeStatus) : ICalAttendeeStatus.NEEDSACTION,
    rsvp: a.rsvp,
    type: CUTYPES.has(a.cutype) ? (a.cutype as ICalAttendeeType) : null,
    // ical-generator writes one DELEGATED-TO / -FROM address; delegation to several is rare.
    delegatedTo: a.delegatedTo[0] ?? null,
    delegatedFrom: a.delegatedFrom[0] ?? null,
    scheduleAgent: AGENTS.has(a.scheduleAgent) ? (a.scheduleAgent as ICalAttendeeScheduleAgent) : null,
    sentBy: a.sentBy || null,
  };
}
