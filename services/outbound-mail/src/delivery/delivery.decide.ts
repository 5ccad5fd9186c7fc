// What one attempt's outcome does to a delivery record. Pure: `now` is passed in, no I/O.
import { assertNever } from '@inviteflow/contracts';
import type { DeliveryDoc } from '../data/delivery.repository';
import { afterTemporaryFailure, type DeferPolicy } from './defer.table';
import type { SmtpFailure } from './smtp-failure.classify';

/** Codes a delivery fails with for good (docs/error-codes.md, Outbound delivery). */
export const DELIVERY_FAILURE_CODES = {
  permanent: 'SMTP_PERMANENT_FAILURE',
  expired: 'DELIVERY_EXPIRED',
  render: 'RENDER_FAILED',
} as const;

export type AttemptOutcome =
  | { kind: 'sent'; messageId: string; relayResponse: string }
  | { kind: 'smtp-failure'; messageId: string; failure: SmtpFailure }
  | { kind: 'render-failure'; reason: string };

export type DeliveryUpdate = Partial<Omit<DeliveryDoc, '_id' | 'version'>>;

/** The fields to set after the attempt `claimed.attempts` (already counted by the claim). */
export function decideAfterAttempt(claimed: Pick<DeliveryDoc, 'attempts' | 'createdAt'>, outcome: AttemptOutcome, policy: DeferPolicy, now: Date): DeliveryUpdate {
  switch (outcome.kind) {
    case 'sent':
      return { state: 'sent', messageId: outcome.messageId, relayResponse: outcome.relayResponse, sentAt: now, updatedAt: now, eventPublished: false };
    case 'render-failure':
      return failed(now, DELIVERY_FAILURE_CODES.render, outcome.reason, 0);
    case 'smtp-failure': {
      const { failure } = outcome;
      if (failure.kind === 'permanent') return { ...failed(now, DELIVERY_FAILURE_CODES.permanent, failure.reason, failure.smtpCode), messageId: outcome.messageId };
      const next = afterTemporaryFailure(policy, claimed.attempts, claimed.createdAt, now);
      if (next.kind === 'expire') {
        return { ...failed(now, DELIVERY_FAILURE_CODES.expired, `${next.why}; last: ${failure.reason}`, failure.smtpCode), messageId: outcome.messageId };
      }
      return { state: 'deferred', nextAttemptAt: next.nextAttemptAt, lastError: failure.reason, smtpCode: failure.smtpCode, messageId: outcome.messageId, updatedAt: now };
    }
    default:
      return assertNever(outcome, 'attempt outcome');
  }
}

function failed(now: Date, failureCode: string, reason: string, smtpCode: number): DeliveryUpdate {
  return { state: 'failed', failureCode, lastError: reason, smtpCode, failedAt: now, updatedAt: now, eventPublished: false };
}
