// Interpreting an embedded VTIMEZONE (RFC 5545 §3.6.5) as a table of UTC offset changes.
//
// ical.js resolves VTIMEZONEs itself, but (a) it reads wall times in a DST gap or overlap the
// opposite way to RFC 5545 §3.3.5 and only answers "offset at this wall time", and (b) it expands
// rules with no bound, which a hostile VTIMEZONE (FREQ=SECONDLY from 1601) turns into a hang.
// So we only borrow its RRULE iterator and keep the table, and its bounds, here.
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
  horizonYear: number;
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

/** An offset function for one VTIMEZONE, or undefined if it has no usable observance. */
export function vtimezoneOffsets(vtimezone: IcalComponent): OffsetAt | undefined {
  const observances = ['standard', 'daylight']
    .flatMap((name) => vtimezone.getAllSubcomponents(name))
    .map(readObservance)
    .filter((o): o is Observance => o !== undefined);
  if (observances.length === 0) return undefined;
  let table: TransitionTable | undefined;
  return (epochMs) => {
    const year = Math.min(new Date(epochMs).getUTCFullYear() + 1, MAX_HORIZON_YEAR);
    if (!table || table.horizonYear < year) table = buildTable(observances, year);
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

function buildTable(observances: Observance[], horizonYear: number): TransitionTable {
  const changes = observances.flatMap((o) =>
    onsetWalls(o, horizonYear).map((wall) => ({ at: wallToEpochMs(wall) - o.fromMs, to: o.toMs, from: o.fromMs })),
  );
  changes.sort((a, b) => a.at - b.at);
  return {
    horizonYear,
    onsets: changes.map((c) => c.at),
    offsets: changes.map((c) => c.to),
    initial: changes[0]?.from ?? 0,
  };
}

function onsetWalls(observance: Observance, horizonYear: number): WallTime[] {
  const walls = [observance.start, ...observance.rdates];
  for (const rule of observance.rules) walls.push(...expandRule(rule, observance.start, horizonYear));
  return walls.filter((w) => w.year <= horizonYear);
}

function expandRule(rule: IcalRecur, start: WallTime, horizonYear: number): WallTime[] {
  const walls: WallTime[] = [];
  try {
    const iterator = rule.iterator(ICAL.Time.fromData({ ...start, isDate: false }));
    for (let next = iterator.next(); next && next.year <= horizonYear; next = iterator.next()) {
      walls.push({ year: next.year, month: next.month, day: next.day, hour: next.hour, minute: next.minute, second: next.second });
      if (walls.length >= MAX_ONSETS_PER_RULE) break;
    }
  } catch {
    // ical.js throws on rules it cannot iterate; what was expanded so far still stands.
  }
  return walls;
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
