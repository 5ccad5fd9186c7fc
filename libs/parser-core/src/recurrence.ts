// The recurrence properties of one VEVENT: RECURRENCE-ID (RFC 5545 §3.8.4.4), RRULE and EXRULE
// (§3.8.5.3; EXRULE from RFC 2445 §4.8.5.2, deprecated but still sent), RDATE (§3.8.5.2) and
// EXDATE (§3.8.5.1). Rules are kept as written; dates become UTC instants, so that an EXDATE or
// RECURRENCE-ID compares with an occurrence as an instant whatever zone each was written in
// (domain.md §3, sabre/vobject#358). Nothing is expanded here: that is bounded downstream.
import type { eventsV1 } from '@inviteflow/proto-gen';
import { icalDateText, readDateText } from './date-values';
import { addDuration, allDayInstant, resolveDateProperty, resolveDateValue, type ResolvedTime } from './event-times';
import { ICAL, paramText, rawRules, rawValues, type IcalComponent, type IcalProperty } from './ical';
import { CalendarRejection } from './parse-outcome';
import { WARNING, warning } from './warnings';
import type { ZoneResolver } from './zone-resolver';

export interface RecurrenceId {
  /** ISO UTC instant; '' for a master. */
  recurrenceId: string;
  original: eventsV1.OriginalTime | undefined;
  range: string;
  warnings: string[];
}

/** RECURRENCE-ID as an ISO UTC instant, '' for a master; unreadable means unidentifiable: reject. */
export function readRecurrenceId(vevent: IcalComponent, zones: ZoneResolver, start: ResolvedTime | undefined): RecurrenceId {
  const prop = vevent.getFirstProperty('recurrence-id');
  if (!prop) return { recurrenceId: '', original: undefined, range: '', warnings: [] };
  const result = resolveDateProperty(prop, zones);
  if (!result.ok) throw new CalendarRejection('INVALID_DATE', `RECURRENCE-ID "${result.raw}" is not a valid date or date-time`);
  const warnings = [...result.warnings];
  const range = paramText(prop, 'range').trim().toUpperCase();
  // RFC 5545 §3.2.13: THISANDFUTURE is the only value; RFC 2445's THISANDPRIOR is obsolete.
  if (range) warnings.push(warning(WARNING.recurrenceRange, `RANGE=${range}: the override applies to later instances too`));
  let epochMs = result.time.epochMs;
  const coerced = allDayInstant(result.time, start);
  if (coerced !== undefined) {
    epochMs = coerced;
    warnings.push(warning(WARNING.recurrenceIdCoerced, `all-day instance; RECURRENCE-ID read as ${new Date(epochMs).toISOString().slice(0, 10)}`));
  }
  const original = { value: icalDateText(rawValues(prop)[0]), tzid: paramText(prop, 'tzid').trim() };
  return { recurrenceId: new Date(epochMs).toISOString(), original, range, warnings };
}

export interface RecurrenceSet {
  rrule: string[];
  exrule: string[];
  rdate: string[];
  exdate: string[];
  warnings: string[];
}

export function readRecurrenceSet(vevent: IcalComponent, zones: ZoneResolver, start: ResolvedTime | undefined, maxDates: number): RecurrenceSet {
  // Counted before any is resolved: each costs a zone lookup, and 4 MB holds 250 000 of them.
  const count = ['rdate', 'exdate'].reduce((sum, name) => sum + vevent.getAllProperties(name).reduce((n, p) => n + rawValues(p).length, 0), 0);
  if (count > maxDates) throw new CalendarRejection('TOO_LARGE', `${count} RDATE/EXDATE values; the limit is ${maxDates}`);
  const warnings: string[] = [];
  const rrule = rawRules(vevent, 'rrule');
  rrule.forEach(requireFrequency);
  return {
    rrule: checkedRules(rrule, 'RRULE', warnings),
    exrule: checkedRules(rawRules(vevent, 'exrule'), 'EXRULE', warnings),
    rdate: vevent.getAllProperties('rdate').flatMap((prop) => readDates(prop, zones, start, warnings)),
    exdate: vevent.getAllProperties('exdate').flatMap((prop) => readDates(prop, zones, start, warnings)),
    warnings,
  };
}

const FREQUENCIES = new Set(['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);

/**
 * RFC 5545 §3.3.10: "The FREQ rule part is REQUIRED", and it is one of seven values. Without it no
 * occurrence can be computed, so the series is unusable: keeping only its first instance would
 * show one meeting where the organiser scheduled many. Any other flaw (Exchange 2003's
 * "BYDAY=MO, TU", an RFC 7529 RSCALE rule ical.js does not implement) leaves the rule to the
 * expander, flagged RRULE_NOT_VALIDATED. Enumerated values are case-insensitive (RFC 5545 §2).
 * EXRULE is not held to this: a broken exclusion rule is flagged, not worth the whole event.
 */
function requireFrequency(rule: string): void {
  const freq = rule.split(';').map((part) => part.split('=')).find(([name]) => name?.trim().toUpperCase() === 'FREQ');
  if (freq && FREQUENCIES.has((freq[1] ?? '').trim().toUpperCase())) return;
  const shown = rule.length > 120 ? `${rule.slice(0, 120)}…` : rule;
  throw new CalendarRejection('MALFORMED_ICALENDAR', `RRULE "${shown}" has no valid FREQ (RFC 5545 §3.3.10)`);
}

/**
 * Rules exactly as the sender wrote them (RFC 5545 §3.3.10 text). Each is still test-read with
 * ical.js, so that a rule it cannot read is flagged for whoever expands the series.
 */
function checkedRules(rules: string[], name: string, warnings: string[]): string[] {
  for (const rule of rules) {
    try {
      ICAL.Recur.fromString(rule);
    } catch (err) {
      warnings.push(warning(WARNING.rruleUnparsed, `${name} ${rule}: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
  return rules;
}

/**
 * Every value of one RDATE or EXDATE line as an ISO instant; a PERIOD (RDATE only, §3.3.9) as
 * "start/end", its DURATION turned into an end. Unreadable values are dropped with a warning:
 * one bad date must not cost the whole invitation.
 */
function readDates(prop: IcalProperty, zones: ZoneResolver, start: ResolvedTime | undefined, warnings: string[]): string[] {
  const name = prop.name.toUpperCase();
  const tzid = paramText(prop, 'tzid').trim();
  const out: string[] = [];
  for (const raw of rawValues(prop)) {
    const value = Array.isArray(raw) ? readPeriod(raw, tzid, name, zones) : readInstant(raw, tzid, prop.type, name, zones, start);
    if (value.ok) out.push(value.text);
    else warnings.push(warning(WARNING.recurrenceDateInvalid, `${name} value "${String(value.raw)}" dropped`));
  }
  return out;
}

type DateText = { ok: true; text: string } | { ok: false; raw: unknown };

function readInstant(raw: unknown, tzid: string, type: string, name: string, zones: ZoneResolver, start: ResolvedTime | undefined): DateText {
  const result = resolveDateValue(readDateText(raw, tzid, type), name, zones);
  if (!result.ok) return { ok: false, raw };
  const epochMs = allDayInstant(result.time, start) ?? result.time.epochMs;
  return { ok: true, text: new Date(epochMs).toISOString() };
}

function readPeriod(raw: unknown[], tzid: string, name: string, zones: ZoneResolver): DateText {
  const [from, to] = raw;
  const begin = resolveDateValue(readDateText(from, tzid, 'date-time'), name, zones);
  if (!begin.ok) return { ok: false, raw: raw.join('/') };
  const endValue = typeof to === 'string' && /^[+-]?P/.test(to) ? undefined : resolveDateValue(readDateText(to, tzid, 'date-time'), name, zones);
  const endMs = endValue ? (endValue.ok ? endValue.time.epochMs : undefined) : addDuration(begin.time, to);
  if (endMs === undefined || endMs < begin.time.epochMs) return { ok: false, raw: raw.join('/') };
  return { ok: true, text: `${new Date(begin.time.epochMs).toISOString()}/${new Date(endMs).toISOString()}` };
}
