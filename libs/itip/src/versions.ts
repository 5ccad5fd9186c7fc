// Ordering of iTIP objects: a higher SEQUENCE wins, then the later DTSTAMP (RFC 5546 §2.1.5;
// SuperOffice keeps event_dtstamp "so we know if we got a new or old event update when
// sequence is the same", domain.md §2).
import type { Version } from './meeting.model';

/** <0 when a is older than b, 0 when equal, >0 when newer. */
export function compareVersions(a: Version, b: Version): number {
  if (a.sequence !== b.sequence) return a.sequence - b.sequence;
  return a.dtstamp < b.dtstamp ? -1 : a.dtstamp > b.dtstamp ? 1 : 0;
}

export function isNewer(a: Version, b: Version | undefined): boolean {
  return b === undefined || compareVersions(a, b) > 0;
}

export function newest(versions: (Version | undefined)[]): Version | undefined {
  let best: Version | undefined;
  for (const v of versions) if (v && isNewer(v, best)) best = v;
  return best;
}

export function describeVersion(v: Version): string {
  return `SEQUENCE ${v.sequence}, DTSTAMP ${v.dtstamp || 'none'}`;
}
