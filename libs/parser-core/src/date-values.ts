// Reading DATE and DATE-TIME property values (RFC 5545 §3.3.4, §3.3.5) into wall-clock readings,
// before any time zone is applied. We read ical.js's jCal strings ourselves instead of asking it
// for ICAL.Time objects: ical.js silently builds nonsense from invalid input (DTEND
// 199706211T173000Z becomes "1997-06-21TT1:73:00") and resolves zones in ways we need to control.
import { paramText, rawValue, type IcalProperty } from './ical';

/** A calendar reading: month 1-12, as written in the value. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type DateValue =
  /** VALUE=DATE: a calendar day, no time and no zone (§3.3.4). */
  | { kind: 'date'; wall: WallTime; implicit: boolean }
  /** Form #2, UTC: a trailing Z (§3.3.5). */
  | { kind: 'utc'; wall: WallTime }
  /** Form #3, local time with a TZID parameter (§3.3.5). */
  | { kind: 'zoned'; wall: WallTime; tzid: string }
  /** Form #1, floating: no Z, no TZID (§3.3.5). */
  | { kind: 'floating'; wall: WallTime }
  | { kind: 'invalid'; raw: string };

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z?)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// How ical.js renders a date-only value (`DTSTART:20021028`) typed DATE-TIME: it slices the
// string into "YYYY-MM-DDThh:mm:ss" positions and leaves the time parts empty.
const IMPLICIT_DATE = /^(\d{4})-(\d{2})-(\d{2})T::$/;

export function readDateValue(prop: IcalProperty): DateValue {
  return readDateText(rawValue(prop), paramText(prop, 'tzid').trim(), prop.type);
}

/** One jCal date value (e.g. one of several in an EXDATE), with its property's TZID and type. */
export function readDateText(raw: unknown, tzid: string, type: string): DateValue {
  if (typeof raw !== 'string') return { kind: 'invalid', raw: String(raw) };
  const dateTime = DATE_TIME.exec(raw);
  if (dateTime) return dateTimeValue(dateTime, tzid, raw);
  const date = DATE.exec(raw) ?? IMPLICIT_DATE.exec(raw);
  if (date) {
    const wall = toWall(date.slice(1, 4), ['0', '0', '0']);
    return wall ? { kind: 'date', wall, implicit: type !== 'date' } : invalid(raw);
  }
  return invalid(raw);
}

/** A jCal date value back in the iCalendar form it was written in (RFC 5545 §3.3.4, §3.3.5). */
export function icalDateText(raw: unknown): string {
  return typeof raw === 'string' ? raw.replace(/[-:]/g, '') : '';
}

/** A jCal DATE-TIME string's wall reading, ignoring any Z (for VTIMEZONE onsets, which are local). */
export function wallFromJcal(raw: unknown): WallTime | undefined {
  const match = typeof raw === 'string' ? DATE_TIME.exec(raw) : null;
  return match ? toWall(match.slice(1, 4), match.slice(4, 7)) : undefined;
}

function dateTimeValue(match: RegExpExecArray, tzid: string, raw: string): DateValue {
  const wall = toWall(match.slice(1, 4), match.slice(4, 7));
  if (!wall) return invalid(raw);
  // RFC 5545 §3.3.5: a TZID on a UTC value is invalid; the Z is the unambiguous part.
  if (match[7] === 'Z') return { kind: 'utc', wall };
  return tzid ? { kind: 'zoned', wall, tzid } : { kind: 'floating', wall };
}

function invalid(raw: string): DateValue {
  return { kind: 'invalid', raw };
}

function toWall(date: (string | undefined)[], time: (string | undefined)[]): WallTime | undefined {
  const [year, month, day, hour, minute, second] = [...date, ...time].map(Number) as number[];
  const wall = { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
  return isValidWall(wall) ? wall : undefined;
}

/** Rejects impossible readings (Feb 30, 25:00) instead of letting Date roll them over. */
export function isValidWall(w: WallTime): boolean {
  if (w.year < 1 || w.month < 1 || w.month > 12 || w.day < 1) return false;
  if (w.day > daysInMonth(w.year, w.month)) return false;
  // Second 60 is a leap second (§3.3.12); Date.UTC rolls it into the next minute, as it should.
  return w.hour <= 23 && w.minute <= 59 && w.second <= 60;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The wall reading as if it were UTC, in epoch milliseconds; zone offsets are applied later. */
export function wallToEpochMs(w: WallTime): number {
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

export function epochMsToWall(ms: number): WallTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}
