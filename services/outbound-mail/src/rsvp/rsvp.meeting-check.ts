// Before a click is applied, the organizer's copy is read (AppointmentService.GetMeeting), so the
// page can tell the attendee what will happen: the scheduling agent would refuse an answer to an
// older SEQUENCE as STALE (RFC 5546 §2.1.4, domain.md §7) silently, from the attendee's side.
// Only the token knows which SEQUENCE the link answers; only the copy knows the current one.
import type { appointmentV1 } from '@inviteflow/proto-gen';
import type { RsvpClaims } from './rsvp.token';

export type MeetingVerdict =
  | { kind: 'apply'; summary: string; start?: Date; seen: string }
  | { kind: 'already'; summary: string; start?: Date }
  | { kind: 'outdated'; summary: string; current: number }
  | { kind: 'cancelled'; summary: string }
  | { kind: 'not-invited'; summary: string }
  | { kind: 'unknown' };

interface StoredAnswer {
  partstat: string;
  version: { sequence: number; dtstamp: string };
}

const sameInstant = (a: string, b: string): boolean => a === b || (a !== '' && b !== '' && Date.parse(a) === Date.parse(b));

/**
 * Pure: what a click would do to the organizer's copy. `seen` names the answer it would replace
 * (its DTSTAMP), so a changed mind (accept, decline, accept again) is a new message each time
 * while two quick clicks of one link are one (the publish's msgID, JetStream's dedupe window).
 */
export function judgeClick(copy: appointmentV1.MeetingCopy | undefined, claims: RsvpClaims): MeetingVerdict {
  if (!copy || copy.role !== 'organizer') return { kind: 'unknown' };
  const rid = claims.recurrenceId;
  const own = (rid ? copy.overrides.find((o) => sameInstant(o.recurrenceId, rid)) : undefined) ?? copy.master;
  const summary = own?.summary ?? copy.master?.summary ?? '';
  const instanceCancel = rid ? copy.tombstones.find((t) => t.recurrenceId !== '' && sameInstant(t.recurrenceId, rid) && !t.ownerRemoved) : undefined;
  const wholeCancel = copy.tombstones.find((t) => t.recurrenceId === '');
  if (copy.status === 'cancelled' || instanceCancel || own?.status.toUpperCase() === 'CANCELLED') return { kind: 'cancelled', summary };
  // libs/itip floorSequence: the instance's (or series') SEQUENCE, or a whole-meeting CANCEL's
  // when a later REQUEST revived the meeting (an instance CANCEL returned above).
  const floor = Math.max(own?.version?.sequence ?? copy.sequence, wholeCancel?.version?.sequence ?? 0);
  if (claims.sequence < floor) return { kind: 'outdated', summary, current: floor };
  if (own && !own.attendees.some((a) => a.address.toLowerCase() === claims.attendee)) return { kind: 'not-invited', summary };
  const answer = answerOf(copy, rid, claims.attendee);
  const start = rid ? new Date(rid) : own?.start;
  if (answer && answer.partstat.toUpperCase() === claims.partstat && answer.version.sequence >= claims.sequence) return { kind: 'already', summary, start };
  return { kind: 'apply', summary, start, seen: answer?.version.dtstamp || 'none' };
}

/** The attendee's stored REPLY: on the master for the series, in the model's instance answers for one occurrence. */
function answerOf(copy: appointmentV1.MeetingCopy, rid: string, attendee: string): StoredAnswer | undefined {
  if (!rid) {
    const a = copy.master?.attendees.find((x) => x.address.toLowerCase() === attendee)?.answer;
    return a ? { partstat: a.partstat, version: { sequence: a.version?.sequence ?? 0, dtstamp: a.version?.dtstamp?.toISOString() ?? '' } } : undefined;
  }
  let model: { instanceAnswers?: Record<string, Record<string, StoredAnswer>> };
  try {
    model = JSON.parse(copy.modelJson || '{}') as typeof model;
  } catch {
    return undefined;
  }
  const key = Object.keys(model.instanceAnswers ?? {}).find((k) => sameInstant(k, rid));
  return key ? model.instanceAnswers![key]![attendee] : undefined;
}
