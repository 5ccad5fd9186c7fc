import { appointmentV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import type { AppointmentRepository, InviteOutcomeDoc } from '../data/appointment.repository';
import { toAppointment } from './appointment.mapper';

/** One mail holds few UIDs; a longer list is a mistake, not a mail. */
export const MAX_EXPLAIN_UIDS = 1000;

/**
 * ExplainMail: the outcome recorded per UID of one delivered mail and the diary entries those
 * outcomes name. Round trips: 1 (outcomes) + 1 when any outcome names diary entries.
 */
export async function explainMail(repo: AppointmentRepository, req: appointmentV1.ExplainMailRequest): Promise<appointmentV1.ExplainMailResponse> {
  if (!req.mailId) throw new AppError({ code: 'INVALID_ARGUMENT', message: 'mail_id is required', retryable: false });
  if (req.uids.length > MAX_EXPLAIN_UIDS) {
    throw new AppError({ code: 'INVALID_ARGUMENT', message: `uids: at most ${MAX_EXPLAIN_UIDS}, got ${req.uids.length}`, retryable: false });
  }
  const outcomes = await repo.findOutcomes(req.mailId, req.uids);
  const entries = await repo.findByIds(outcomes.flatMap((o) => o.appointmentIds));
  return { mailId: req.mailId, outcomes: outcomes.map(toInviteOutcome), appointments: entries.map(toAppointment) };
}

export function toInviteOutcome(d: InviteOutcomeDoc): appointmentV1.InviteOutcome {
  return {
    uid: d.uid, method: d.method, outcome: d.outcome, detail: [d.detail, ...(d.history ?? [])].filter(Boolean).join('; then '),
    appointmentIds: d.appointmentIds, parkedFor: d.parkedFor ?? [], recordedAt: d.recordedAt,
  };
}
