// One VEVENT → one eventsV1.CalendarEvent, plus the UID it belongs to.
import type { eventsV1 } from '@inviteflow/proto-gen';
import { readDtstamp, readEventTimes, readRecurrenceId } from './event-times';
import { ICAL, rawRrules, rawValue, textValue, type IcalComponent } from './ical';
import { requiresDtstart, type ItipMethod } from './method';
import { CalendarRejection } from './parse-outcome';
import { readAttendees, readOrganizer } from './parties';
import { WARNING, warning } from './warnings';
import type { ZoneResolver } from './zone-resolver';

export interface EventContext {
  method: ItipMethod;
  zones: ZoneResolver;
}

export interface ReadEvent {
  uid: string;
  event: eventsV1.CalendarEvent;
  warnings: string[];
}

export function readEvent(vevent: IcalComponent, context: EventContext): ReadEvent {
  const uid = textValue(vevent, 'uid').trim();
  // RFC 5545 §3.6.1: UID is REQUIRED in a VEVENT; without it nothing can be matched later.
  if (!uid) throw new CalendarRejection('MISSING_UID', `a ${context.method} VEVENT has no UID`);
  try {
    return { uid, ...readEventBody(vevent, context) };
  } catch (err) {
    if (err instanceof CalendarRejection) throw new CalendarRejection(err.reasonCode, `${err.message} (UID ${clipUid(uid)})`);
    throw err;
  }
}

function readEventBody(vevent: IcalComponent, { method, zones }: EventContext): Omit<ReadEvent, 'uid'> {
  if (!vevent.hasProperty('dtstart') && requiresDtstart(method)) {
    throw new CalendarRejection('MISSING_DTSTART', `${method} VEVENT has no DTSTART (RFC 5546 §3.2)`);
  }
  const warnings: string[] = [];
  const times = readEventTimes(vevent, zones);
  const recurrence = readRecurrenceId(vevent, zones, times.start);
  const stamp = readDtstamp(vevent, zones);
  warnings.push(...times.warnings, ...recurrence.warnings, ...stamp.warnings);
  const event: eventsV1.CalendarEvent = {
    recurrenceId: recurrence.recurrenceId,
    sequence: readSequence(vevent, warnings),
    dtstamp: stamp.dtstamp,
    start: times.start ? new Date(times.start.epochMs) : undefined,
    end: times.end,
    timeZone: times.start?.timeZone ?? '',
    allDay: times.start?.allDay ?? false,
    summary: textValue(vevent, 'summary').trim(),
    location: textValue(vevent, 'location').trim(),
    description: textValue(vevent, 'description'),
    status: textValue(vevent, 'status').trim().toUpperCase(),
    organizer: readOrganizer(vevent, warnings),
    attendees: readAttendees(vevent, warnings),
    rrule: readRrules(vevent, warnings),
  };
  return { event, warnings };
}

/** RFC 5545 §3.8.7.4: SEQUENCE defaults to 0; the proto field is an int32. */
function readSequence(vevent: IcalComponent, warnings: string[]): number {
  const prop = vevent.getFirstProperty('sequence');
  if (!prop) return 0;
  const value = rawValue(prop);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0x7fffffff) return value;
  warnings.push(warning(WARNING.sequenceInvalid, `SEQUENCE "${String(value)}" read as 0`));
  return 0;
}

/**
 * RRULEs exactly as the sender wrote them (RFC 5545 §3.3.10 text). Each is still test-read with
 * ical.js, so that a rule it cannot read is flagged for whoever expands the series.
 */
function readRrules(vevent: IcalComponent, warnings: string[]): string[] {
  const rules = rawRrules(vevent);
  for (const rule of rules) {
    try {
      ICAL.Recur.fromString(rule);
    } catch (err) {
      warnings.push(warning(WARNING.rruleUnparsed, `${rule}: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
  return rules;
}

function clipUid(uid: string): string {
  return uid.length > 80 ? `${uid.slice(0, 80)}…` : uid;
}
