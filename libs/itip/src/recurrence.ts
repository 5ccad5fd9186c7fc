// The occurrences of a series (RFC 5545 §3.8.5: DTSTART + RRULE + RDATE − EXDATE), computed in the
// series' own zone. ical.js does the RRULE arithmetic (the parser already vets rules with it);
// we hand it the *wall-clock* DTSTART as a floating time and turn each occurrence back into an
// instant with the zone's rules, because RFC 5545 §3.3.10 recurs on local time: a weekly 09:00
// Europe/Oslo meeting stays at 09:00 across DST. ical.js knows no IANA zone without a VTIMEZONE,
// which the model no longer holds; Intl (ICU's zone data, zone-time.ts) does.
import ICAL from 'ical.js';
import type { Component } from './meeting.model';
import { isKnownZone, wallClockMs, wallToUtcMs } from './zone-time';

export interface ExpansionLimits {
  /** At most this many occurrences are returned per call. */
  maxInstances: number;
  /** At most this many rule steps (from DTSTART on) are taken per RRULE, so FREQ=SECONDLY cannot hang. */
  maxIterations: number;
}

/**
 * ical.js takes some 20–80 µs per rule step, so 20 000 steps (55 years of a daily meeting, or
 * 5.5 hours of FREQ=SECONDLY) bound one call to about a second in the worst case.
 */
export const DEFAULT_LIMITS: ExpansionLimits = { maxInstances: 5000, maxIterations: 20_000 };

export interface Occurrence {
  /** The occurrence's RECURRENCE-ID as a UTC instant (ISO 8601). */
  recurrenceId: string;
  /** An RDATE PERIOD (RFC 5545 §3.3.9) gives its own end; otherwise the series' duration applies. */
  end?: string;
}

export interface Occurrences {
  occurrences: Occurrence[];
  /** A limit cut the list short: later occurrences (or the whole window) were not reached. */
  truncated: boolean;
  /** Rules that were not expanded (unreadable, or a pattern that could loop without end). */
  unsupported: string[];
}

type IcalTime = InstanceType<typeof ICAL.Time>;
type IcalRecur = InstanceType<typeof ICAL.Recur>;

/** The zone occurrences are computed in: the series' IANA zone, or UTC for UTC times and dates. */
export function seriesZone(c: Pick<Component, 'timeZone' | 'allDay'>): string {
  return !c.allDay && c.timeZone !== 'UTC' && isKnownZone(c.timeZone) ? c.timeZone : '';
}

const toWall = (zone: string, utcMs: number): number => (zone ? wallClockMs(zone, utcMs) : utcMs);
const toUtc = (zone: string, wallMs: number): number => (zone ? wallToUtcMs(zone, wallMs) : wallMs);

function floating(wallMs: number, isDate: boolean): IcalTime {
  const d = new Date(wallMs);
  return ICAL.Time.fromData({
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), isDate,
  });
}

const DAY_MS = 86_400_000;
const wallMsOf = (t: IcalTime): number => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);

const DATE_PARTS = ['BYMONTH', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYDAY'];
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Patterns ical.js would loop on without end or for minutes inside one step: a sub-daily rule
 * filtered by date parts (FREQ=SECONDLY;BYMONTH=2 walks a year second by second), BYYEARDAY or
 * BYWEEKNO where RFC 5545 §3.3.10 does not allow them, and BYMONTH/BYMONTHDAY no month can meet
 * (DAILY/WEEKLY have no give-up counter, unlike MONTHLY/YEARLY). '' when the rule is safe.
 */
export function unsafePattern(recur: IcalRecur): string {
  const parts = recur.parts as Record<string, number[] | undefined>;
  const has = (name: string): boolean => (parts[name]?.length ?? 0) > 0;
  const subDaily = ['SECONDLY', 'MINUTELY', 'HOURLY'].includes(recur.freq);
  if (subDaily && DATE_PARTS.some(has)) return `FREQ=${recur.freq} filtered by date parts`;
  if (has('BYWEEKNO') && recur.freq !== 'YEARLY') return 'BYWEEKNO outside FREQ=YEARLY';
  if (has('BYYEARDAY') && ['DAILY', 'WEEKLY', 'MONTHLY'].includes(recur.freq)) return `BYYEARDAY with FREQ=${recur.freq}`;
  const months = parts['BYMONTH'] ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const days = parts['BYMONTHDAY'] ?? [];
  if (days.length && !months.some((mo) => days.some((d) => Math.abs(d) >= 1 && Math.abs(d) <= (MONTH_DAYS[mo - 1] ?? 0)))) {
    return 'no month has the BYMONTHDAY asked for';
  }
  return '';
}

/** RFC 5545 §3.3.10: UNTIL is UTC when DTSTART has a zone; compare it on the same (wall) clock. */
function wallRecur(rule: string, zone: string): IcalRecur {
  const recur = ICAL.Recur.fromString(rule);
  const until = recur.until;
  if (until && !until.isDate && until.zone === ICAL.Timezone.utcTimezone) recur.until = floating(toWall(zone, until.toUnixTime() * 1000), false);
  return recur;
}

interface Window {
  fromMs: number;
  toMs: number;
}

/** One RRULE's occurrence instants in [fromMs, toMs), DTSTART included (RFC 5545 §3.8.5.3). */
function ruleInstants(master: Component, rule: string, w: Window, limits: ExpansionLimits, out: Occurrences): number[] {
  const zone = seriesZone(master);
  let recur: IcalRecur;
  try {
    recur = wallRecur(rule, zone);
  } catch (err) {
    out.unsupported.push(`${rule}: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
  const unsafe = unsafePattern(recur);
  if (unsafe) {
    out.unsupported.push(`${rule}: ${unsafe}`);
    return [];
  }
  const iterator = recur.iterator(floating(toWall(zone, Date.parse(master.start)), master.allDay));
  // Compared on the wall clock first (a day either side covers any UTC offset): the zone lookup
  // per occurrence is the costly part, and occurrences far from the window need none.
  const wallFrom = w.fromMs - DAY_MS;
  const wallTo = w.toMs + DAY_MS;
  const found: number[] = [];
  for (let step = 0; ; step += 1) {
    if (step >= limits.maxIterations || found.length >= limits.maxInstances) {
      out.truncated = true;
      break;
    }
    const next = iterator.next();
    if (!next) break;
    const wallMs = wallMsOf(next);
    if (wallMs >= wallTo) break;
    if (wallMs < wallFrom) continue;
    const utcMs = toUtc(zone, wallMs);
    if (utcMs >= w.fromMs && utcMs < w.toMs) found.push(utcMs);
  }
  return found;
}

/** RDATE values (instants, or PERIOD "start/end") in the window. */
function rdateOccurrences(master: Component, w: Window): Occurrence[] {
  return master.rdate.flatMap((value) => {
    const [start = '', end] = value.split('/');
    const ms = Date.parse(start);
    if (Number.isNaN(ms) || ms < w.fromMs || ms >= w.toMs) return [];
    return [end && !Number.isNaN(Date.parse(end)) ? { recurrenceId: new Date(ms).toISOString(), end: new Date(Date.parse(end)).toISOString() } : { recurrenceId: new Date(ms).toISOString() }];
  });
}

/** The series' occurrences whose RECURRENCE-ID lies in [fromMs, toMs), EXDATEs removed, in order. */
export function seriesOccurrences(master: Component, w: Window, limits: ExpansionLimits = DEFAULT_LIMITS): Occurrences {
  const out: Occurrences = { occurrences: [], truncated: false, unsupported: [] };
  const startMs = Date.parse(master.start);
  if (Number.isNaN(startMs)) return out;
  const excluded = new Set(master.exdate.map((d) => Date.parse(d)));
  const byMs = new Map<number, Occurrence>();
  const instants = master.rrule.length ? master.rrule.flatMap((r) => ruleInstants(master, r, w, limits, out)) : [startMs].filter((ms) => ms >= w.fromMs && ms < w.toMs);
  // A rule that could not be expanded still has its first instance (RFC 5545 §3.8.5.3: DTSTART counts).
  if (master.rrule.length && out.unsupported.length && startMs >= w.fromMs && startMs < w.toMs) instants.push(startMs);
  for (const ms of instants) byMs.set(ms, { recurrenceId: new Date(ms).toISOString() });
  for (const o of rdateOccurrences(master, w)) byMs.set(Date.parse(o.recurrenceId), o);
  const sorted = [...byMs.entries()].filter(([ms]) => !excluded.has(ms)).sort(([a], [b]) => a - b).map(([, o]) => o);
  if (sorted.length > limits.maxInstances) out.truncated = true;
  out.occurrences = sorted.slice(0, limits.maxInstances);
  return out;
}

/**
 * Whether `recurrenceId` is an occurrence of the series (rule, DTSTART or RDATE; an EXDATE'd
 * one still counts — the organizer may bring it back). 'unknown' when the rule could not be
 * expanded or a limit stopped the walk before that instant: the caller must not reject then.
 */
export function occurrenceOf(master: Component, recurrenceId: string, limits: ExpansionLimits = DEFAULT_LIMITS): 'yes' | 'no' | 'unknown' {
  const ms = Date.parse(recurrenceId);
  if (Number.isNaN(ms)) return 'no';
  const withoutExdates = { ...master, exdate: [] };
  const found = seriesOccurrences(withoutExdates, { fromMs: ms, toMs: ms + 1 }, limits);
  if (found.occurrences.length) return 'yes';
  return found.truncated || found.unsupported.length ? 'unknown' : 'no';
}
