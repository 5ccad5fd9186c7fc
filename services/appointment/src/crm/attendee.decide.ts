// Pure decisions of an invited associate's commands: answering (REPLY) and proposing (COUNTER).
import { componentAt, planCounter, recordOwnAnswer, type Meeting } from '@inviteflow/itip';
import { appointmentV1 } from '@inviteflow/proto-gen';
import { crmError } from './crm.errors';
import type { ActingAssociate, PartyDirectory } from './crm.parties';
import type { Decided } from './crm.executor';
import { instanceId, planned, requireActive, requireInvited, sendOnly } from './decide.support';
import { slotOf, type TimeInput } from './meeting-time';

const PARTSTAT: Partial<Record<appointmentV1.Response, string>> = {
  [appointmentV1.Response.RESPONSE_ACCEPT]: 'ACCEPTED',
  [appointmentV1.Response.RESPONSE_DECLINE]: 'DECLINED',
  [appointmentV1.Response.RESPONSE_TENTATIVE]: 'TENTATIVE',
};

/** RespondToInvitation: the owner's answer for the series or one instance, sent as a REPLY to the organizer. */
export function decideRespond(
  r: { response: appointmentV1.Response; recurrenceId: string; comment: string }, actor: ActingAssociate, stored: Meeting | undefined, uid: string, dir: PartyDirectory, now: string,
): Decided | undefined {
  const partstat = PARTSTAT[r.response];
  if (!partstat) throw crmError('INVALID_ARGUMENT', 'response', 'accept, decline or tentative');
  const { copy } = requireInvited(stored, uid, actor);
  requireActive(copy, uid);
  const rid = instanceId(copy, r.recurrenceId, 'recurrence_id');
  if (copy.ownAnswers[rid]?.partstat === partstat && !copy.ownAnswers[rid]!.moved && !r.comment) return undefined;
  const after = recordOwnAnswer(copy, partstat, rid, now);
  // A repeated answer with a new comment is sent again: recordOwnAnswer keeps the PARTSTAT, so planChange sees no change.
  const before = copy.ownAnswers[rid]?.partstat === partstat ? { ...copy, ownAnswers: Object.fromEntries(Object.entries(copy.ownAnswers).filter(([k]) => k !== rid)) } : copy;
  const decided = planned(before, after, actor, dir, now, { method: 'REPLY', reason: 'ANSWERED', detail: `${partstat}${rid ? ` for ${rid}` : ''}`, recurrenceId: rid }, r.comment);
  return decided && { ...decided, changes: [`PARTSTAT:${actor.address}=${partstat}`, ...decided.changes] };
}

/** ProposeNewTime: a COUNTER to the organizer (RFC 5546 §3.2.7); the owner's copy stays as it is. */
export function decidePropose(
  r: { recurrenceId: string; time?: TimeInput | undefined; location: string; comment: string }, actor: ActingAssociate, stored: Meeting | undefined, uid: string, now: string,
): Decided {
  const { copy } = requireInvited(stored, uid, actor);
  requireActive(copy, uid);
  const rid = instanceId(copy, r.recurrenceId, 'recurrence_id');
  const base = componentAt(copy, rid);
  const slot = slotOf('time', r.time, base?.timeZone || actor.owner.timeZone);
  const counter = planCounter(copy, { recurrenceId: rid, start: slot.start, end: slot.end, location: r.location, comment: r.comment }, actor.owner.addresses, now);
  if (!counter) throw crmError('NOT_INVITED', 'associate', `${actor.address} is not among the attendees of ${uid}`);
  return sendOnly(copy, [counter], { method: 'COUNTER', reason: 'COUNTER_PROPOSED', detail: `proposed ${slot.start}–${slot.end}`, recurrenceId: rid });
}
