// One invite per UID per message (the contract of invite.parsed.v1), when the message carries
// the UID more than once.
//
// Within one calendar part, a later VCALENDAR for a UID already seen is dropped
// (DUPLICATE_UID_DROPPED): RFC 6047 §2.4 carries one object per part, and the multi-object
// streams that do otherwise (libical's and RFC 2446's examples) are conversation logs, where the
// first object is the invitation.
//
// Across calendar parts the copies are alternatives of one message: Outlook sends text/calendar
// in multipart/alternative and the same object again as an application/ics attachment; Gmail
// attaches invite.ics next to its text/calendar; Cronofy does the same. Mostly the copies are
// identical and one silently stands for all. When they differ, the copy kept is the best by the
// first of these criteria on which the copies differ (PART_CHOICE_RULE):
//
//  1. METHOD agrees with its part's Content-Type `method` parameter (RFC 6047 §2.4: the iMIP
//     object is the text/calendar part whose method parameter equals METHOD). A part with no
//     method parameter made no iMIP statement and ranks below one that agrees; a part whose
//     parameter contradicts its METHOD ranks last. This picks Outlook's and Gmail's iMIP part
//     over an attachment written for import elsewhere (often METHOD:PUBLISH, stamped later).
//  2. Higher SEQUENCE (RFC 5545 §3.8.7.4, RFC 5546 §2.1.4), a flagged-absurd one counting below 0.
//  3. Later DTSTAMP. Rules 2 and 3 are the order the scheduling agent itself applies (domain.md
//     §3): among copies that are equally the iMIP part, the one it would apply last if each part
//     came as its own message is kept, so the outcome does not depend on part order.
//  4. More usable components (after salvage), then fewer dropped ones, then more properties:
//     the more complete copy.
//  5. text/calendar, the iMIP media type, over application/ics and other declarations.
//  6. Otherwise the first in MIME order.
//
// The warning CALENDAR_PARTS_DISAGREE names the part kept, each part dropped and the criterion
// that decided, so an operator can see what the sender's parts said.
import type { eventsV1 } from '@inviteflow/proto-gen';
import type { ItipMethod, MethodSource } from './method';
import { WARNING, warning } from './warnings';

/** The events of one UID, gathered across the VEVENTs of one VCALENDAR. */
export interface Draft {
  method: ItipMethod;
  methodSource: MethodSource;
  uid: string;
  events: eventsV1.CalendarEvent[];
  warnings: string[];
  part: DraftPart;
  /** VEVENTs of this UID in this object dropped as unusable (component-salvage.ts). */
  dropped: number;
  /** Properties of the kept VEVENTs, as written: the last measure of completeness. */
  propertyCount: number;
}

/** The calendar part a draft came from. */
export interface DraftPart {
  /** Position in MIME order. */
  index: number;
  label: string;
  /** The part's Content-Type `method` parameter, upper-cased; '' when none. */
  mimeMethod: string;
  /** The part's declared media type, lower-cased; '' for a bare .ics. */
  contentType: string;
}

interface Criterion {
  name: string;
  score: (draft: Draft) => number;
  show: (draft: Draft) => string;
}

const SEQUENCE_ABSURD = -1;

export const PART_CHOICE_RULE: readonly Criterion[] = [
  { name: 'METHOD matching its part\'s method=', score: methodAgreement, show: showMethod },
  { name: 'higher SEQUENCE', score: highestSequence, show: (d) => (highestSequence(d) === SEQUENCE_ABSURD ? 'absurd' : String(highestSequence(d))) },
  { name: 'later DTSTAMP', score: latestDtstamp, show: (d) => (Number.isFinite(latestDtstamp(d)) ? new Date(latestDtstamp(d)).toISOString() : 'none') },
  { name: 'more usable components', score: (d) => d.events.length, show: (d) => String(d.events.length) },
  { name: 'fewer dropped components', score: (d) => -d.dropped, show: (d) => String(d.dropped) },
  { name: 'more properties', score: (d) => d.propertyCount, show: (d) => String(d.propertyCount) },
  { name: 'text/calendar over other types', score: (d) => (d.part.contentType === 'text/calendar' ? 1 : 0), show: (d) => d.part.contentType || 'none' },
];

function methodAgreement({ method, part }: Draft): number {
  if (!part.mimeMethod) return 1;
  return part.mimeMethod === method ? 2 : 0;
}

function showMethod({ method, part }: Draft): string {
  return `METHOD:${method} ${part.mimeMethod ? `method=${part.mimeMethod}` : 'no method='}`;
}

function highestSequence(draft: Draft): number {
  return Math.max(SEQUENCE_ABSURD, ...draft.events.map((e) => (e.sequenceAbsurd ? SEQUENCE_ABSURD : e.sequence)));
}

function latestDtstamp(draft: Draft): number {
  return Math.max(Number.NEGATIVE_INFINITY, ...draft.events.map((e) => e.dtstamp?.getTime() ?? Number.NEGATIVE_INFINITY));
}

/** Drafts of every part, in MIME order → one per UID, in order of first appearance. */
export function choosePerUid(draftsByPart: Draft[][]): Draft[] {
  const candidates = new Map<string, Draft[]>();
  for (const drafts of draftsByPart) {
    for (const draft of firstPerUid(drafts)) candidates.set(draft.uid, [...(candidates.get(draft.uid) ?? []), draft]);
  }
  return [...candidates.values()].map(chooseCopy);
}

/** Within one part the first object for a UID is kept (see the file comment). */
function firstPerUid(drafts: Draft[]): Draft[] {
  const byUid = new Map<string, Draft>();
  for (const draft of drafts) {
    const kept = byUid.get(draft.uid);
    if (!kept) byUid.set(draft.uid, draft);
    else if (!isSameObject(kept, draft)) {
      kept.warnings.push(warning(WARNING.duplicateUid, `another ${draft.method} for this UID differs; the first was kept`));
    }
  }
  return [...byUid.values()];
}

function chooseCopy(copies: Draft[]): Draft {
  const best = copies.reduce((kept, copy) => (compare(copy, kept) > 0 ? copy : kept));
  const differing = copies.filter((copy) => copy !== best && !isSameObject(best, copy));
  if (differing.length === 0) return best;
  const dropped = differing.map((copy) => `over ${copy.part.label} by ${reasonFor(best, copy)}`);
  const detail = `kept ${best.part.label} ${dropped.join('; ')}`;
  return { ...best, warnings: [...best.warnings, warning(WARNING.calendarPartsDisagree, detail)] };
}

/** > 0 when a ranks above b by PART_CHOICE_RULE; ties keep MIME order (the caller keeps the first). */
function compare(a: Draft, b: Draft): number {
  for (const criterion of PART_CHOICE_RULE) {
    const difference = criterion.score(a) - criterion.score(b);
    if (difference !== 0 && !Number.isNaN(difference)) return difference;
  }
  return 0;
}

function reasonFor(best: Draft, other: Draft): string {
  const decisive = PART_CHOICE_RULE.find((criterion) => criterion.score(best) !== criterion.score(other));
  if (!decisive) return 'MIME order (no criterion separates them)';
  return `${decisive.name} (${decisive.show(best)} vs ${decisive.show(other)})`;
}

/**
 * Copies with the same events are one object, also when only one copy's part had a MIME method
 * to supply a missing METHOD (Lotus Notes).
 */
function isSameObject(a: Draft, b: Draft): boolean {
  const sameMethod = a.method === b.method || a.methodSource !== 'body' || b.methodSource !== 'body';
  return sameMethod && JSON.stringify(a.events) === JSON.stringify(b.events);
}
