import { appointmentV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import type { MeetingRepository } from '../data/meeting.repository';
import type { InviteOutcomeDoc, OutcomeRepository, RecipientOutcome } from '../data/outcome.repository';
import type { IdentityLookup } from '../domain/identity.port';
import { toDecision, toMeetingCopy } from './meeting.mapper';
import { associateIdOf } from './owner.resolve';

function requireUid(uid: string): string {
  if (!uid) throw new AppError({ code: 'INVALID_ARGUMENT', message: 'uid is required', retryable: false });
  return uid;
}

/** GetMeeting: every copy of a meeting, or one owner's. Round trips: 1 (+ identity for an address). */
export async function getMeeting(
  deps: { meetings: MeetingRepository; identity: IdentityLookup }, req: appointmentV1.GetMeetingRequest,
): Promise<appointmentV1.GetMeetingResponse> {
  const uid = requireUid(req.uid);
  const copies = req.owner
    ? [await deps.meetings.find(await associateIdOf(deps.identity, req.owner, 'owner'), uid)].filter((m) => m !== undefined)
    : await deps.meetings.listByUid(uid);
  if (copies.length === 0) {
    throw new AppError({ code: 'NOT_FOUND', message: `no meeting with UID ${uid}${req.owner ? ` in the diary of ${req.owner}` : ''}`, retryable: false });
  }
  return { uid, copies: copies.map(toMeetingCopy) };
}

export function toRecipientOutcome(r: RecipientOutcome): appointmentV1.RecipientOutcome {
  return {
    address: r.address, associateId: r.associateId, meetingId: r.meetingId, outcome: r.outcome,
    decisions: r.decisions.map(toDecision), appliedLater: r.appliedLater ?? '', held: r.held ?? false,
    policy: r.policy ? { outcome: r.policy.outcome, value: r.policy.value, level: r.policy.level, scope: r.policy.scope, wouldHave: (r.policy.wouldHave ?? []).map(toDecision) } : undefined,
  };
}

/** `detail` plus what happened later (a parked part applied), as one line. */
export function outcomeDetail(d: InviteOutcomeDoc): string {
  return [d.detail, ...(d.history ?? [])].filter(Boolean).join('; then ');
}

/** MeetingHistory: every message that reached the meeting, in arrival order. Round trips: 1. */
export async function meetingHistory(outcomes: OutcomeRepository, req: appointmentV1.MeetingHistoryRequest): Promise<appointmentV1.MeetingHistoryResponse> {
  const uid = requireUid(req.uid);
  const docs = await outcomes.historyOf(uid);
  if (docs.length === 0) throw new AppError({ code: 'NOT_FOUND', message: `no message has reached a meeting with UID ${uid}`, retryable: false });
  return {
    uid,
    entries: docs.map((d) => ({
      mailId: d.mailId, method: d.method, outcome: d.outcome, detail: outcomeDetail(d), recipients: (d.recipients ?? []).map(toRecipientOutcome),
      parkedFor: d.parkedFor ?? [], arrival: d.arrival ?? 0, recordedAt: d.recordedAt,
    })),
  };
}
