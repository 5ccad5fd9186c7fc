// Wall-clock time ↔ UTC in an IANA zone, through Intl (ICU's zone data; no clock read). Used to
// place floating and unknown-zone times in the owner's zone (RFC 5545 §3.3.5: a floating time
// means "the same local time wherever the viewer is") and to write times back in their zone.
const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat | undefined {
  let dtf = formats.get(zone);
  if (dtf) return dtf;
  try {
    dtf = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
  } catch {
    return undefined;
  }
  formats.set(zone, dtf);
  return dtf;
}

export function isKnownZone(zone: string): boolean {
  return zone !== '' && format(zone) !== undefined;
}

/** The wall-clock reading in `zone` at `utcMs`, as if it were UTC milliseconds. */
export function wallClockMs(zone: string, utcMs: number): number {
  const dtf = format(zone);
  if (!dtf) return utcMs;
  const parts: Record<string, number> = {};
  for (const part of dtf.formatToParts(new Date(utcMs))) parts[part.type] = Number(part.value);
  return Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
}

/** The instant at which `zone` reads the wall time `wallMs` (a gap resolves forward, as RFC 5545 §3.3.5 asks). */
export function wallToUtcMs(zone: string, wallMs: number): number {
  const firstGuess = wallMs - (wallClockMs(zone, wallMs) - wallMs);
  return wallMs - (wallClockMs(zone, firstGuess) - firstGuess);
}

/** Re-reads an ISO instant that the parser read as UTC but that was really wall time in `zone`. */
export function placeInZone(isoReadAsUtc: string, zone: string): string {
  if (!isoReadAsUtc) return isoReadAsUtc;
  return new Date(wallToUtcMs(zone, Date.parse(isoReadAsUtc))).toISOString();
}
