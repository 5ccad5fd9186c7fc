/**
 * RFC 5546 §2.1.5: a higher SEQUENCE supersedes a lower one; with equal SEQUENCE the later
 * DTSTAMP wins. Anything older than what is stored is stale and must not be applied (it is
 * still recorded). The same SEQUENCE and DTSTAMP again is a redelivery: nothing changes.
 */
export type OrderingVerdict = 'newer' | 'same' | 'stale';

export interface Revision {
  sequence: number;
  dtstamp: Date | undefined;
}

export function compareRevision(stored: Revision, incoming: Revision): OrderingVerdict {
  if (incoming.sequence > stored.sequence) return 'newer';
  if (incoming.sequence < stored.sequence) return 'stale';
  const a = stored.dtstamp?.getTime() ?? 0;
  const b = incoming.dtstamp?.getTime() ?? 0;
  if (b > a) return 'newer';
  if (b < a) return 'stale';
  return 'same';
}
