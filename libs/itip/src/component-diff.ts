// Which properties differ between two versions of a component, and which of them count as
// *significant* (RFC 5546 §2.1.4: the organizer bumps SEQUENCE for them).
import type { Component } from './meeting.model';

/**
 * RFC 5546 §2.1.4 names DTSTART, DTEND, DURATION, DUE, RRULE, RDATE, EXDATE (and STATUS, for
 * cancelling) as changes that need attendees to re-answer; sabre/vobject's Broker uses the same
 * list (significantChangeProperties). DURATION is folded into DTEND here (we store both ends as
 * instants); DUE is a VTODO property. LOCATION is deliberately not in the list: neither the RFC
 * nor sabre resets answers for a room change, and Exchange treats it as an update, not a
 * reschedule — a moved room is news, a moved time is a new question.
 */
export const SIGNIFICANT_PROPERTIES = ['DTSTART', 'DTEND', 'RRULE', 'RDATE', 'EXDATE', 'STATUS'] as const;
export const TIME_PROPERTIES = ['DTSTART', 'DTEND', 'RRULE', 'RDATE', 'EXDATE'] as const;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function changedProperties(before: Component | undefined, after: Component): string[] {
  if (!before) return ['CREATED'];
  const pairs: [string, unknown, unknown][] = [
    ['DTSTART', before.start, after.start],
    ['DTEND', before.end, after.end],
    ['ALLDAY', before.allDay, after.allDay],
    ['RRULE', before.rrule, after.rrule],
    ['RDATE', before.rdate, after.rdate],
    ['EXDATE', before.exdate, after.exdate],
    ['STATUS', before.status, after.status],
    ['SUMMARY', before.summary, after.summary],
    ['LOCATION', before.location, after.location],
    ['DESCRIPTION', before.description, after.description],
    ['CONFERENCE', before.conference, after.conference],
    ['ORGANIZER', before.organizer, after.organizer],
    ['ATTENDEE', before.attendees.map(({ answer: _a, ...rest }) => rest), after.attendees.map(({ answer: _a, ...rest }) => rest)],
  ];
  return pairs.filter(([, a, b]) => !same(a, b)).map(([name]) => name);
}

export function isSignificant(changes: string[]): boolean {
  return changes.some((c) => (SIGNIFICANT_PROPERTIES as readonly string[]).includes(c));
}

export function isTimeChange(changes: string[]): boolean {
  return changes.some((c) => (TIME_PROPERTIES as readonly string[]).includes(c));
}

/** Same content, ignoring the version stamp and attendees' REPLY answers. */
export function sameContent(a: Component, b: Component): boolean {
  return changedProperties(a, b).length === 0 && a.range === b.range;
}
