import { STREAMS } from '@inviteflow/contracts';
import { injectFault, type FaultContext, type FaultEffect, type FaultName } from './chaos.faults';
import { chaosInvitation } from './chaos.mail';
import type { AppliedTally } from './chaos.tally';
import type { SendOutcome } from './smtp.driver';

/** One phase as it ran: what was sent around the fault, and the fault's effect. */
export interface PhaseRun {
  readonly fault: FaultName | 'none';
  readonly outcomes: readonly SendOutcome[];
  readonly effect: FaultEffect | null;
  readonly deadLettered: number;
  /** Every accepted invitation applied before the drain deadline. */
  readonly drained: boolean;
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface PhasePlan {
  readonly rate: number;
  readonly perPhase: number;
  readonly drainTimeoutMs: number;
  /** 1 in `every` invitations carries a file of `bytes` (--attachment-kb); undefined: none. */
  readonly attachment?: { readonly bytes: number; readonly every: number };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Sends `perPhase` distinct invitations at `rate`, injects the fault a third of the way in,
 * then waits until every invitation SMTP accepted is applied (or the drain deadline passes).
 */
export async function runPhase(fault: FaultName | 'none', firstIndex: number, plan: PhasePlan, ctx: FaultContext, tally: AppliedTally): Promise<PhaseRun> {
  const startedAt = Date.now();
  const dlqBefore = await deadLetterCount(ctx);
  const fileOf = (index: number): number => (plan.attachment && index % plan.attachment.every === 0 ? plan.attachment.bytes : 0);
  const mails = Array.from({ length: plan.perPhase }, (_, i) => chaosInvitation(ctx.run, firstIndex + i, ctx.organizer, ctx.attendee, fileOf(firstIndex + i)));
  const sending = ctx.driver.sendAtRate(mails, plan.rate);
  const faultDelayMs = Math.round((plan.perPhase / plan.rate) * 1000 / 3);
  const injecting = fault === 'none' ? Promise.resolve(null) : sleep(faultDelayMs).then(() => injectFault(fault, ctx));
  const [outcomes, effect] = await Promise.all([sending, injecting]);
  const accepted = outcomes.filter((o) => o.accepted).map((o) => o.uid);
  const drained = await untilApplied(ctx, tally, accepted, plan.drainTimeoutMs);
  const deadLettered = (await deadLetterCount(ctx)) - dlqBefore;
  return { fault, outcomes, effect, deadLettered, drained, startedAt, endedAt: Date.now() };
}

async function untilApplied(ctx: FaultContext, tally: AppliedTally, uids: readonly string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await tally.refresh(ctx.session().js);
      if (tally.appliedAll(uids)) return true;
    } catch (err) {
      ctx.say(`(reading applied events failed, retrying: ${(err as Error).message})`);
    }
    await sleep(500);
  }
  return false;
}

async function deadLetterCount(ctx: FaultContext): Promise<number> {
  try {
    return (await ctx.session().jsm.streams.info(STREAMS.deadLetter.name)).state.messages;
  } catch {
    // No DLQ stream yet (nothing was ever dead-lettered): zero.
    return 0;
  }
}
