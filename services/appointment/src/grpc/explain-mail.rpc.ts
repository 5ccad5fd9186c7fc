import { appointmentV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import type { MeetingRepository } from '../data/meeting.repository';
import type { InviteOutcomeDoc, OutcomeRepository } from '../data/outcome.repository';
import { toMeetingCopy } from './meeting.mapper';
import { outcomeDetail, toRecipientOutcome } from './meeting.rpc';

/** One mail holds few UIDs; a longer list is a mistake, not a mail. */
export const MAX_EXPLAIN_UIDS = 1000;

/**
 * ExplainMail: the outcome recorded per UID of one delivered mail, per recipient, and the meeting
 * copies those outcomes name as they are now. Round trips: 1 (outcomes) + 1 when any names copies.
 */
export async function explainMail(
  deps: { meetings: MeetingRepository; outcomes: OutcomeRepository }, req: appointmentV1.ExplainMailRequest,
): Promise<appointmentV1.ExplainMailResponse> {
  if (!req.mailId) throw new AppError({ code: 'INVALID_ARGUMENT', message: 'mail_id is required', retryable: false });
  if (req.uids.length > MAX_EXPLAIN_UIDS) {
    throw new AppError({ code: 'INVALID_ARGUMENT', message: `uids: at most ${MAX_EXPLAIN_UIDS}, got ${req.uids.length}`, retryable: false });
  }
  const outcomes = await deps.outcomes.findForMail(req.mailId, req.uids);
  const copies = await deps.meetings.findByIds(outcomes.flatMap((o) => o.appointmentIds));
  return { mailId: req.mailId, outcomes: outcomes.map(toInviteOutcome), meetings: copies.sort((a, b) => a.id.localeCompare(b.id)).map(toMeetingCopy) };
}

export function toInviteOutcome(d: InviteOutcomeDoc): appointmentV1.InviteOutcome {
  return {
    uid: d.uid, method: d.method, outcome: d.outcome, detail: outcomeDetail(d), meetingIds: d.appointmentIds, parkedFor: d.parkedFor ?? [],
    recordedAt: d.recordedAt, recipients: (d.recipients ?? []).map(toRecipientOutcome),
    authentication: d.authentication ?? '', senderCheck: d.senderCheck ?? '',
  };
}
