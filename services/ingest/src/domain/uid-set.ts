/**
 * An IMAP sequence-set (RFC 3501 §9, `sequence-set`) naming exactly the given UIDs: runs of
 * consecutive UIDs become `a:b`. A round's UIDs come from one UID SEARCH, so they are mostly
 * consecutive, and a round of a thousand stays a short command line (RFC 7162 §4 asks clients
 * to keep lines under 8192 octets). A range names only the UIDs listed: every UID between two
 * listed neighbours is itself listed.
 */
export function uidSet(uids: readonly number[]): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j += 1;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
