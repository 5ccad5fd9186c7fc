// DTSTART, DTEND/DURATION, RECURRENCE-ID and DTSTAMP of one VEVENT as UTC instants.
import { readDateValue, wallToEpochMs, type DateValue, type WallTime } from './date-values';
import { rawValue, type IcalComponent, type IcalProperty } from './ical';
import { assertNever, CalendarRejection } from './parse-outcome';
import { addWallDays, utcOffsets, wallToInstant, type OffsetAt } from './time-zones';
import { WARNING, warning } from './warnings';
import type { ZoneResolver } from './zone-resolver';

export interface ResolvedTime {
  epochMs: number;
  /** The TZID as the sender wrote it; 'UTC' for a trailing Z; '' for floating and DATE values. */
  timeZone: string;
  /** How the zone was found (CalendarEvent.time_zone_source). */
  zoneSource: string;
  /** The IANA zone timeZone stands for, '' if none is known. */
  ianaZone: string;
  allDay: boolean;
  floating: boolean;
  /** CalendarEvent.floating_reason: NO_TZID, TZID_UNKNOWN, or '' when not floating. */
  floatingReason: string;
  wall: WallTime;
  offsetAt: OffsetAt;
}

type TimeResult = { ok: true; time: ResolvedTime; warnings: string[] } | { ok: false; raw: string };

export function resolveDateProperty(prop: IcalProperty, zones: ZoneResolver): TimeResult {
  return resolveDateValue(readDateValue(prop), prop.name.toUpperCase(), zones);
}

export function resolveDateValue(value: DateValue, name: string, zones: ZoneResolver): TimeResult {
  switch (value.kind) {
    case 'invalid':
      return { ok: false, raw: value.raw };
    case 'date':
      return resolved(value.wall, { timeZone: '', zoneSource: 'date', allDay: true }, value.implicit ? [warning(WARNING.implicitDate, `${name} read as a DATE`)] : []);
    case 'utc':
      return resolved(value.wall, { timeZone: 'UTC', zoneSource: 'utc', ianaZone: 'UTC' }, []);
    case 'floating':
      return resolved(value.wall, { zoneSource: 'floating', floating: true, floatingReason: 'NO_TZID' }, [warning(WARNING.floatingTime, `${name} has no zone; read as UTC`)]);
    case 'zoned': {
      const zone = zones(value.tzid);
      // An unresolvable TZID is floating too (zone-resolver.ts), never a UTC time in disguise.
      const floating = zone.source === 'unresolved' ? { floating: true, floatingReason: 'TZID_UNKNOWN' } : {};
      return resolved(value.wall, { timeZone: value.tzid, zoneSource: zone.source, ianaZone: zone.iana, ...floating }, zone.warnings, zone.offsetAt);
    }
    default:
      return assertNever(value);
  }
}

type TimeLabels = Partial<Pick<ResolvedTime, 'timeZone' | 'zoneSource' | 'ianaZone' | 'allDay' | 'floating' | 'floatingReason'>>;

function resolved(wall: WallTime, labels: TimeLabels, warnings: string[], offsetAt: OffsetAt = utcOffsets): TimeResult {
  const time: ResolvedTime = {
    epochMs: wallToInstant(wall, offsetAt),
    timeZone: '', zoneSource: '', ianaZone: '', allDay: false, floating: false, floatingReason: '',
    ...labels,
    wall,
    offsetAt,
  };
  return { ok: true, warnings, time };
}

export interface EventTimes {
  start: ResolvedTime | undefined;
  end: Date | undefined;
  warnings: string[];
}

/** DTSTART and the end it implies. An unreadable DTSTART rejects; a bad end only warns. */
export function readEventTimes(vevent: IcalComponent, zones: ZoneResolver): EventTimes {
  const warnings: string[] = [];
  const dtstart = vevent.getFirstProperty('dtstart');
  let start: ResolvedTime | undefined;
  if (dtstart) {
    const result = resolveDateProperty(dtstart, zones);
    if (!result.ok) throw new CalendarRejection('INVALID_DATE', `DTSTART "${result.raw}" is not a valid date or date-time`);
    start = result.time;
    warnings.push(...result.warnings);
  }
  const end = readEnd(vevent, start, zones, warnings);
  return { start, end: end === undefined ? undefined : new Date(end), warnings };
}

function readEnd(vevent: IcalComponent, start: ResolvedTime | undefined, zones: ZoneResolver, warnings: string[]): number | undefined {
  const dtend = vevent.getFirstProperty('dtend');
  const duration = vevent.getFirstProperty('duration');
  if (dtend && duration) warnings.push(warning(WARNING.endAndDuration, 'DTEND used, DURATION ignored'));
  const end = dtend ? endFromDtend(dtend, start, zones, warnings) : duration && start ? endFromDuration(duration, start) : undefined;
  if (!start) return end;
  if (end !== undefined && end >= start.epochMs) return end;
  if (dtend || duration) warnings.push(warning(WARNING.endInvalid, 'end unreadable or before DTSTART; RFC 5545 §3.6.1 default used'));
  // RFC 5545 §3.6.1: with neither DTEND nor DURATION a DATE event lasts one day and a
  // DATE-TIME event ends when it starts.
  return start.allDay ? wallToEpochMs(addWallDays(start.wall, 1)) : start.epochMs;
}

function endFromDtend(dtend: IcalProperty, start: ResolvedTime | undefined, zones: ZoneResolver, warnings: string[]): number | undefined {
  const result = resolveDateProperty(dtend, zones);
  if (!result.ok) return undefined;
  const end = result.time;
  if (!start || start.allDay || end.allDay || start.floating === end.floating) {
    warnings.push(...result.warnings);
    return end.epochMs;
  }
  // RFC 5545 §3.8.2.2: when DTSTART is floating DTEND must be floating too, and when DTSTART
  // has a zone (or is UTC) DTEND must not be floating. They disagree, so one of them is wrong;
  // DTSTART decides when the event happens, so DTEND's wall time is read in DTSTART's frame (its
  // zone, or floating). DTEND's own zone warnings no longer apply. If that ends before the start,
  // readEnd drops it for the §3.6.1 default.
  warnings.push(warning(WARNING.endFrameMismatch, `DTSTART is ${frameName(start)}, DTEND is ${frameName(end)}; DTEND's wall time read ${start.floating ? 'as floating' : `in ${start.timeZone}`}`));
  return wallToInstant(end.wall, start.offsetAt);
}

function frameName(time: ResolvedTime): string {
  if (time.floating) return time.timeZone ? `floating (unresolved TZID ${time.timeZone})` : 'floating (no TZID)';
  return time.timeZone === 'UTC' ? 'UTC' : `in zone ${time.timeZone}`;
}

const DURATION = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

// RFC 5545 §3.3.6: days and weeks are nominal (P1D across a DST change is the same wall time
// next day, 23 or 25 hours later), hours/minutes/seconds are exact.
function endFromDuration(prop: IcalProperty, start: ResolvedTime): number | undefined {
  return addDuration(start, rawValue(prop));
}

/** The instant a DURATION value (RFC 5545 §3.3.6) after start; undefined if unreadable or negative. */
export function addDuration(start: ResolvedTime, raw: unknown): number | undefined {
  const match = typeof raw === 'string' ? DURATION.exec(raw.trim()) : null;
  if (!match || match[1] === '-' || /^[+-]?PT?$/.test(String(raw).trim())) return undefined;
  const [weeks, days, hours, minutes, seconds] = match.slice(2).map((n) => Number(n ?? 0)) as number[];
  const wholeDays = weeks! * 7 + days!;
  const base = wholeDays ? wallToInstant(addWallDays(start.wall, wholeDays), start.offsetAt) : start.epochMs;
  return base + ((hours! * 60 + minutes!) * 60 + seconds!) * 1000;
}

/**
 * Exchange writes an all-day instance's RECURRENCE-ID (and EXDATE) as local midnight in its zone
 * ("RECURRENCE-ID;TZID=W. Europe Standard Time:20260226T000000"); as an instant that is the
 * previous day in UTC and would match no DATE occurrence of the series. Such a value is read as
 * the date it names; undefined when the rule does not apply.
 */
export function allDayInstant(time: ResolvedTime, seriesStart: ResolvedTime | undefined): number | undefined {
  const { wall } = time;
  if (!seriesStart?.allDay || time.allDay || wall.hour !== 0 || wall.minute !== 0 || wall.second !== 0) return undefined;
  return wallToEpochMs(wall);
}

/** DTSTAMP (RFC 5545 §3.8.7.2, always UTC by rule; a zoned one is still resolved). */
export function readDtstamp(vevent: IcalComponent, zones: ZoneResolver): { dtstamp: Date | undefined; warnings: string[] } {
  const prop = vevent.getFirstProperty('dtstamp');
  const result = prop ? resolveDateProperty(prop, zones) : undefined;
  if (!result?.ok) {
    const detail = result ? `"${result.raw}" is not a date-time` : 'missing';
    return { dtstamp: undefined, warnings: [warning(WARNING.dtstampInvalid, detail)] };
  }
  return { dtstamp: new Date(result.time.epochMs), warnings: result.warnings };
}
