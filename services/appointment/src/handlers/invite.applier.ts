import type { eventsV1 } from '@inviteflow/proto-gen';
import type { AppointmentRepository, ApplyResult } from '../data/appointment.repository';
import { AppointmentState, appointmentId } from '../domain/appointment';
import { DiaryOwner, InvitePlan, planInvite } from '../domain/invite.plan';

export interface ApplierDeps {
  repo: AppointmentRepository;
  now: () => Date;
  onApplied?: (result: ApplyResult, state: AppointmentState) => Promise<void>;
}

export interface Applied {
  plan: InvitePlan;
  /** "<appointment id>=<created|updated|unchanged|stale>" per diary entry written. */
  results: string[];
}

/**
 * The one apply path, for invites as they arrive and for parked ones applied later.
 * Idempotent: the same invite again finds the same SEQUENCE/DTSTAMP stored and changes
 * nothing (RFC 5546 §2.1.5, data/appointment.repository), so applying twice is harmless and
 * a parked invite older than what a diary holds is recorded as stale, not applied.
 * Round trips: 2 per (owner × VEVENT).
 */
export async function applyInvite(deps: ApplierDeps, invite: eventsV1.InviteParsed, owners: DiaryOwner[]): Promise<Applied> {
  const plan = planInvite(invite, owners, invite.mailId);
  const results: string[] = [];
  if (plan.kind === 'skip') return { plan, results };
  for (const state of plan.states) {
    const result = await deps.repo.apply(state, deps.now());
    results.push(`${appointmentId(state)}=${result}`);
    await deps.onApplied?.(result, state);
  }
  return { plan, results };
}

/** The outcome record of one message: what was applied, what waits for whom. */
export function describeOutcome(
  applied: Applied, parked: string[],
): { outcome: string; detail: string; appointmentIds: string[]; parkedFor: string[] } {
  const waiting = parked.length > 0 ? `parked until known: ${parked.join(', ')}` : '';
  if (applied.plan.kind === 'apply') {
    const detail = [applied.results.join(', '), waiting].filter(Boolean).join('; ');
    return { outcome: 'APPLIED', detail, appointmentIds: applied.plan.states.map(appointmentId), parkedFor: parked };
  }
  if (applied.plan.reason === 'NO_KNOWN_RECIPIENT' && parked.length > 0) return { outcome: 'PARKED', detail: waiting, appointmentIds: [], parkedFor: parked };
  return { outcome: applied.plan.reason, detail: applied.plan.detail, appointmentIds: [], parkedFor: [] };
}
