// Turning a wall-clock reading in a zone into a UTC instant, for zones described either by an
// embedded VTIMEZONE (vtimezone.ts) or by an IANA name known to this runtime's Intl.
import { wallToEpochMs, epochMsToWall, type WallTime } from './date-values';

/** The zone's offset from UTC (local = utc + offset), in ms, at a UTC instant in epoch ms. */
export type OffsetAt = (epochMs: number) => number;

const DAY_MS = 86_400_000;

/**
 * RFC 5545 §3.3.5: a local time that occurs twice (the fall-back overlap) means the first
 * occurrence; one that never occurs (the spring-forward gap) is read with the offset in force
 * before the gap, so TZID=America/New_York:20070311T023000 is 03:30 EDT. ical.js's own
 * Timezone.utcOffset gets both cases the other way round, which is why this is ours.
 *
 * Assumes at most one offset change within a day of the reading, as in every real zone; a
 * hostile VTIMEZONE with more still gets a deterministic answer, just not a meaningful one.
 */
export function wallToInstant(wall: WallTime, offsetAt: OffsetAt): number {
  const asUtc = wallToEpochMs(wall);
  const before = offsetAt(asUtc - DAY_MS);
  const after = offsetAt(asUtc + DAY_MS);
  const consistent = [before, after]
    .map((offset) => asUtc - offset)
    .filter((instant) => offsetAt(instant) === asUtc - instant);
  if (consistent.length > 0) return Math.min(...consistent); // overlap: the first occurrence
  return asUtc - before; // gap: the offset before it
}

export const utcOffsets: OffsetAt = () => 0;

// Formatters are costly to build and a calendar names a handful of zones, so they are kept per
// name. Bounded: TZIDs come from senders, and each new one would otherwise stay forever.
const FORMATTERS = new Map<string, Intl.DateTimeFormat | null>();
const MAX_FORMATTERS = 512;

/** An offset function for an IANA zone name (links such as US/Pacific included), if Intl knows it. */
export function ianaOffsets(name: string): OffsetAt | undefined {
  const formatter = formatterFor(name);
  return formatter ? (epochMs) => intlOffset(formatter, epochMs) : undefined;
}

function formatterFor(name: string): Intl.DateTimeFormat | null {
  const cached = FORMATTERS.get(name);
  if (cached !== undefined) return cached;
  if (FORMATTERS.size >= MAX_FORMATTERS) FORMATTERS.clear();
  const formatter = createFormatter(name);
  FORMATTERS.set(name, formatter);
  return formatter;
}

function createFormatter(name: string): Intl.DateTimeFormat | null {
  // Intl also accepts offset strings ("+01:00") as zones; a TZID is a name, so insist on one.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null; // RangeError: not a zone this runtime knows
  }
}

function intlOffset(formatter: Intl.DateTimeFormat, epochMs: number): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(whole))) parts[part.type] = part.value;
  // era is requested so that years before 1 AD stay monotonic: 1 BC is astronomical year 0.
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  const wall: WallTime = {
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
  return wallToEpochMs(wall) - whole;
}

/** Adds whole days to a wall reading (RFC 5545 §3.3.6 nominal duration), e.g. P1D across DST. */
export function addWallDays(wall: WallTime, days: number): WallTime {
  return epochMsToWall(wallToEpochMs(wall) + days * DAY_MS);
}
