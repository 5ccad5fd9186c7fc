// Interpreting an embedded VTIMEZONE (RFC 5545 §3.6.5) as a table of UTC offset changes.
//
// ical.js resolves VTIMEZONEs itself, but (a) it reads wall times in a DST gap or overlap the
// opposite way to RFC 5545 §3.3.5 and only answers "offset at this wall time", and (b) it expands
// rules with no bound, which a hostile VTIMEZONE (FREQ=SECONDLY from 1601) turns into a hang.
// So we only borrow its RRULE iterator and keep the table, and its bounds, here.
//
// Outlook anchors its rules in 1601, so expanding from DTSTART costs ~400 iterations per rule
// for a date in this century (~40 ms per zone). A yearly rule without COUNT produces the same
// onsets whatever year its DTSTART has, so for those the iterator starts two years before the
// instant asked about, and only a three-year window is expanded (cached per year).
import { readDateValue, wallFromJcal, wallToEpochMs, type WallTime } from './date-values';
import { ICAL, rawRrules, rawValue, rawValues, type IcalComponent, type IcalRecur } from './ical';
import type { OffsetAt } from './time-zones';

interface Observance {
  /** TZOFFSETFROM and TZOFFSETTO, in ms. */
  fromMs: number;
  toMs: number;
  /** DTSTART, a local time in the TZOFFSETFROM offset (RFC 5545 §3.8.2.4). */
  start: WallTime;
  rules: IcalRecur[];
  rdates: WallTime[];
}

interface TransitionTable {
  /** Onset instants in epoch ms, ascending, and the offset in force from each. */
  onsets: number[];
  offsets: number[];
  /** The offset before the first onset: the earliest observance's TZOFFSETFROM. */
  initial: number;
}

/** Rules are expanded to this year at most; later instants keep the last offset. */
const MAX_HORIZON_YEAR = 2500;
/** Occurrences taken from one RRULE: a yearly rule from 1601 needs about 900. */
const MAX_ONSETS_PER_RULE = 4000;
/** Per-year tables kept per zone; a message names a handful of years. */
const MAX_CACHED_YEARS = 64;

/** An offset function for one VTIMEZONE, or undefined if it has no usable observance. */
export function vtimezoneOffsets(vtimezone: IcalComponent): OffsetAt | undefined {
  const observances = ['standard', 'daylight']
    .flatMap((name) => vtimezone.getAllSubcomponents(name))
    .map(readObservance)
    .filter((o): o is Observance => o !== undefined);
  if (observances.length === 0) return undefined;
  const tables = new Map<number, TransitionTable>();
  return (epochMs) => {
    const year = Math.min(new Date(epochMs).getUTCFullYear(), MAX_HORIZON_YEAR);
    let table = tables.get(year);
    if (!table) {
      if (tables.size >= MAX_CACHED_YEARS) tables.clear();
      table = buildTable(observances, year);
      tables.set(year, table);
    }
    return offsetIn(table, epochMs);
  };
}

function readObservance(component: IcalComponent): Observance | undefined {
  const fromMs = utcOffsetMs(component.getFirstProperty('tzoffsetfrom'));
  const toMs = utcOffsetMs(component.getFirstProperty('tzoffsetto'));
  const dtstart = component.getFirstProperty('dtstart');
  const start = dtstart ? readDateValue(dtstart) : undefined;
  if (fromMs === undefined || toMs === undefined || !start || start.kind === 'invalid') return undefined;
  return {
    fromMs,
    toMs,
    start: start.wall,
    rules: rawRrules(component).flatMap(readRecur),
    rdates: component
      .getAllProperties('rdate')
      .flatMap(rawValues)
      .map(wallFromJcal)
      .filter((w): w is WallTime => w !== undefined),
  };
}

/**
 * Only YEARLY rules are expanded. Every real VTIMEZONE recurs yearly (RFC 5545 §3.6.5's examples
 * all do), and ical.js steps finer rules one unit at a time inside a single next(): a
 * "FREQ=SECONDLY;BYMONTH=12" observance takes it about 20 s per occurrence. Bounding the number
 * of occurrences cannot help with that, so such rules are not expanded at all.
 */
function readRecur(rule: string): IcalRecur[] {
  try {
    const recur = ICAL.Recur.fromString(rule);
    return recur.freq === 'YEARLY' ? [recur] : [];
  } catch {
    return []; // an unreadable rule contributes no onsets; DTSTART and RDATEs still count
  }
}

/** ical.js gives UTC-OFFSET values as "+03:00" (or "+00:17:30"). */
function utcOffsetMs(prop: InstanceType<typeof ICAL.Property> | null): number | undefined {
  const raw = prop ? rawValue(prop) : undefined;
  const match = typeof raw === 'string' ? /^([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(raw) : null;
  if (!match) return undefined;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
  return (match[1] === '-' ? -seconds : seconds) * 1000;
}

/** The onsets that decide offsets in `year`: everything up to year + 1. */
function buildTable(observances: Observance[], year: number): TransitionTable {
  const changes = observances.flatMap((o) =>
    onsetWalls(o, year).map((wall) => ({ at: wallToEpochMs(wall) - o.fromMs, to: o.toMs, from: o.fromMs })),
  );
  changes.sort((a, b) => a.at - b.at);
  return {
    onsets: changes.map((c) => c.at),
    offsets: changes.map((c) => c.to),
    initial: changes[0]?.from ?? 0,
  };
}

function onsetWalls(observance: Observance, year: number): WallTime[] {
  const horizonYear = Math.min(year + 1, MAX_HORIZON_YEAR);
  const walls = [observance.start, ...observance.rdates];
  for (const rule of observance.rules) walls.push(...expandRule(rule, observance.start, year, horizonYear));
  return walls.filter((w) => w.year <= horizonYear);
}

// Rules that cannot be shifted (COUNT, 29 February), and rules whose DTSTART is already within
// two years of `year` (Apple's and Outlook 2003's 2007-style zones), run from their real DTSTART,
// but only up to the horizon: onsetWalls drops anything later, and expanding those rules on to
// MAX_HORIZON_YEAR cost ~10 ms per zone (the parse benchmark's slowest files, bench-parse.json).
function expandRule(rule: IcalRecur, start: WallTime, year: number, horizonYear: number): WallTime[] {
  return iterate(rule, start, shiftedStart(rule, start, year), horizonYear);
}

function iterate(rule: IcalRecur, start: WallTime, anchor: WallTime | undefined, horizonYear: number): WallTime[] {
  const walls: WallTime[] = [];
  try {
    const iterator = rule.iterator(ICAL.Time.fromData({ ...(anchor ?? start), isDate: false }));
    // A shifted DTSTART is not an occurrence of its own (RFC 5545 §3.8.5.3 counts only the real
    // one, which onsetWalls adds anyway), so the first value is dropped.
    if (anchor) iterator.next();
    for (let next = iterator.next(); next && next.year <= horizonYear; next = iterator.next()) {
      walls.push({ year: next.year, month: next.month, day: next.day, hour: next.hour, minute: next.minute, second: next.second });
      if (walls.length >= MAX_ONSETS_PER_RULE) break;
    }
  } catch {
    // ical.js throws on rules it cannot iterate; what was expanded so far still stands.
  }
  return walls;
}

/**
 * DTSTART moved to a year at least two before `year`, kept in step with INTERVAL, when that
 * cannot change the rule's occurrences: a YEARLY rule without COUNT (COUNT counts from the real
 * DTSTART) and a DTSTART that exists in every year (not 29 February). Undefined otherwise.
 */
function shiftedStart(rule: IcalRecur, start: WallTime, year: number): WallTime | undefined {
  const interval = Math.max(1, rule.interval || 1);
  if (rule.count || (start.month === 2 && start.day === 29)) return undefined;
  const target = year - 2;
  if (target <= start.year) return undefined;
  const shiftedYear = start.year + Math.floor((target - start.year) / interval) * interval;
  return shiftedYear > start.year ? { ...start, year: shiftedYear } : undefined;
}

function offsetIn(table: TransitionTable, epochMs: number): number {
  let low = 0;
  let high = table.onsets.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((table.onsets[mid] ?? Infinity) <= epochMs) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found < 0 ? table.initial : (table.offsets[found] ?? table.initial);
}
