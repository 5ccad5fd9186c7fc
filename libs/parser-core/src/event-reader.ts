// One VEVENT → one eventsV1.CalendarEvent, plus the UID it belongs to.
import type { eventsV1 } from '@inviteflow/proto-gen';
import { UnusableEvent } from './component-salvage';
import { icalDateText } from './date-values';
import { readEventEnums } from './enumerated-values';
import { readEventExtras } from './event-extras';
import { readDtstamp, readEventTimes } from './event-times';
import { paramText, rawValue, textValue, type IcalComponent } from './ical';
import { requiresDtstart, type ItipMethod } from './method';
import { CalendarRejection } from './parse-outcome';
import { readAttendees, readOrganizer } from './parties';
import { readRecurrenceId, readRecurrenceSet } from './recurrence';
import { WARNING, warning } from './warnings';
import type { ZoneResolver } from './zone-resolver';

export interface EventContext {
  method: ItipMethod;
  zones: ZoneResolver;
  /** ParseLimits.maxRecurrenceDates. */
  maxRecurrenceDates: number;
}

export interface ReadEvent {
  uid: string;
  event: eventsV1.CalendarEvent;
  warnings: string[];
}

/** One VEVENT; an unusable one throws UnusableEvent, naming its UID and RECURRENCE-ID. */
export function readEvent(vevent: IcalComponent, context: EventContext): ReadEvent {
  const uid = textValue(vevent, 'uid').trim();
  // RFC 5545 §3.6.1: UID is REQUIRED in a VEVENT; without it nothing can be matched later.
  if (!uid) throw new UnusableEvent('MISSING_UID', `a ${context.method} VEVENT has no UID`, '', '');
  try {
    return { uid, ...readEventBody(vevent, context) };
  } catch (err) {
    if (err instanceof CalendarRejection) throw new UnusableEvent(err.reasonCode, err.message, uid, recurrenceIdAsWritten(vevent));
    throw err;
  }
}

/** RECURRENCE-ID as the sender wrote it, to name an instance that could not be read. */
function recurrenceIdAsWritten(vevent: IcalComponent): string {
  const prop = vevent.getFirstProperty('recurrence-id');
  if (!prop) return '';
  const tzid = paramText(prop, 'tzid').trim();
  const value = icalDateText(rawValue(prop)) || String(rawValue(prop));
  return tzid ? `TZID=${tzid}:${value}` : value;
}

function readEventBody(vevent: IcalComponent, { method, zones, maxRecurrenceDates }: EventContext): Omit<ReadEvent, 'uid'> {
  if (!vevent.hasProperty('dtstart') && requiresDtstart(method)) {
    throw new CalendarRejection('MISSING_DTSTART', `${method} VEVENT has no DTSTART (RFC 5546 §3.2)`);
  }
  const times = readEventTimes(vevent, zones);
  const recurrence = readRecurrenceId(vevent, zones, times.start);
  const stamp = readDtstamp(vevent, zones);
  const { rrule, exrule, rdate, exdate, warnings: setWarnings } = readRecurrenceSet(vevent, zones, times.start, maxRecurrenceDates);
  const warnings = [...times.warnings, ...recurrence.warnings, ...stamp.warnings, ...setWarnings];
  const sequence = readSequence(vevent, warnings);
  const attendees = readAttendees(vevent, warnings);
  if (method === 'REPLY' && attendees.length !== 1) {
    warnings.push(warning(WARNING.replyAttendees, `${attendees.length} ATTENDEEs; who replied cannot be told`));
  }
  const event: eventsV1.CalendarEvent = {
    recurrenceId: recurrence.recurrenceId,
    recurrenceIdOriginal: recurrence.original,
    recurrenceIdRange: recurrence.range,
    ...sequence,
    dtstamp: stamp.dtstamp,
    start: times.start ? new Date(times.start.epochMs) : undefined,
    end: times.end,
    timeZone: times.start?.timeZone ?? '',
    timeZoneSource: times.start?.zoneSource ?? '',
    ianaTimeZone: times.start?.ianaZone ?? '',
    allDay: times.start?.allDay ?? false,
    floating: times.start?.floating ?? false,
    floatingReason: times.start?.floatingReason ?? '',
    summary: textValue(vevent, 'summary').trim(),
    location: textValue(vevent, 'location').trim(),
    description: textValue(vevent, 'description'),
    // STATUS, TRANSP, CLASS: RFC 5545 values only (enumerated-values.ts).
    ...readEventEnums(vevent, warnings),
    organizer: readOrganizer(vevent, warnings),
    attendees,
    rrule,
    exrule,
    rdate,
    exdate,
    ...readEventExtras(vevent, times.start?.allDay, warnings),
  };
  return { event, warnings };
}

type Sequence = Pick<eventsV1.CalendarEvent, 'sequence' | 'sequenceOriginal' | 'sequenceAbsurd'>;

const INT32_MAX = 0x7fffffff;
/** No real client revises one event a million times; a larger SEQUENCE is a bug or an attack. */
const PLAUSIBLE_SEQUENCE = 1_000_000;

/**
 * RFC 5545 §3.8.7.4: SEQUENCE defaults to 0; the proto field is an int32. An implausible value is
 * kept (clamped into int32, so it still orders after smaller ones) and flagged, and the text as
 * written travels alongside: the appointment service decides whether to trust it.
 */
function readSequence(vevent: IcalComponent, warnings: string[]): Sequence {
  const prop = vevent.getFirstProperty('sequence');
  if (!prop) return { sequence: 0, sequenceOriginal: '', sequenceAbsurd: false };
  const value = rawValue(prop);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= PLAUSIBLE_SEQUENCE) {
    return { sequence: value, sequenceOriginal: '', sequenceAbsurd: false };
  }
  const original = String(value);
  if (typeof value === 'number' && Number.isInteger(value) && value > PLAUSIBLE_SEQUENCE) {
    const sequence = Math.min(value, INT32_MAX);
    warnings.push(warning(WARNING.sequenceAbsurd, `SEQUENCE ${original} kept as ${sequence}`));
    return { sequence, sequenceOriginal: original, sequenceAbsurd: true };
  }
  warnings.push(warning(WARNING.sequenceInvalid, `SEQUENCE "${original}" read as 0`));
  return { sequence: 0, sequenceOriginal: original, sequenceAbsurd: true };
}
