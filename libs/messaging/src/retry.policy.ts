import { AppError } from '@inviteflow/runtime';
import { MESSAGING_ERROR_CODES } from './messaging.errors';

/**
 * How a durable consumer retries. The same table drives both paths to a redelivery:
 * the handler failing (we `nak(delay)` with the entry for this attempt) and the handler
 * never answering (JetStream's own `backoff`, used when a process dies mid-message).
 */
export interface RetryPolicy {
  /** Total deliveries, first one included. JetStream requires it to exceed `backoffMs.length`. */
  readonly maxDeliver: number;
  /**
   * Delay before delivery n+1, indexed by n-1; the last entry repeats if maxDeliver is larger.
   * JetStream also uses entry 0 as the ack deadline of a first delivery (it overrides
   * `ack_wait`), so the consumer runner heartbeats held messages at half that interval.
   */
  readonly backoffMs: readonly number[];
  /**
   * Cap on delivered-but-unacked messages across all replicas. `consume()` pulls ahead of
   * the handlers, so this, not `concurrency`, is what bounds messages held in memory.
   * Messages waiting out a nak delay count against it too, which is the backpressure we want.
   */
  readonly maxAckPending: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * The default schedule, in the style of zone-mta's defer table. Running totals are the time
 * from the first failure to that retry. The first entry is 5 s rather than 1 s on purpose:
 * it is also the ack deadline of a first delivery, and a handler that blocks the event loop
 * (a large MIME parse) for longer than it gets its message redelivered to another replica.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxDeliver: 6,
  backoffMs: [
    5 * SECOND, //  retry 1 after 5 s      (total 5 s)
    30 * SECOND, // retry 2 after 30 s     (total 35 s)
    2 * MINUTE, //  retry 3 after 2 min    (total 2 min 35 s)
    10 * MINUTE, // retry 4 after 10 min   (total 12 min 35 s)
    30 * MINUTE, // retry 5 after 30 min   (total 42 min 35 s), then dead letter
  ],
  maxAckPending: 256,
};

/** Throws INVALID_RETRY_POLICY for a policy JetStream would refuse or that never ends. */
export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const problems: string[] = [];
  if (!Number.isInteger(policy.maxDeliver) || policy.maxDeliver < 1) {
    problems.push('maxDeliver must be a positive integer (the server default of -1 is never used)');
  }
  if (policy.backoffMs.length === 0) problems.push('backoffMs must have at least one entry');
  if (policy.backoffMs.some((ms) => !Number.isInteger(ms) || ms <= 0)) {
    problems.push('backoffMs entries must be positive integers (milliseconds)');
  }
  // JetStream rejects a consumer whose max_deliver does not exceed the backoff length.
  if (policy.maxDeliver <= policy.backoffMs.length) {
    problems.push(`maxDeliver (${policy.maxDeliver}) must exceed the number of backoff entries (${policy.backoffMs.length})`);
  }
  if (!Number.isInteger(policy.maxAckPending) || policy.maxAckPending < 1) {
    problems.push('maxAckPending must be a positive integer');
  }
  if (problems.length > 0) {
    throw new AppError({
      code: MESSAGING_ERROR_CODES.invalidRetryPolicy,
      message: `invalid retry policy: ${problems.join('; ')}`,
      retryable: false,
    });
  }
  return policy;
}

/** The nak delay after delivery number `deliveryCount` (1-based) has failed. */
export function backoffDelayMs(policy: RetryPolicy, deliveryCount: number): number {
  const index = Math.min(Math.max(deliveryCount, 1), policy.backoffMs.length) - 1;
  return policy.backoffMs[index] ?? 0;
}

/** True when no further delivery will come: a failure now must go to the dead-letter subject. */
export function isLastAttempt(maxDeliver: number, deliveryCount: number): boolean {
  return deliveryCount >= maxDeliver;
}

/**
 * The ack deadline JetStream applies to a first delivery: it replaces `ack_wait` with the
 * first backoff entry whenever a backoff is configured.
 */
export function effectiveAckWaitMs(policy: RetryPolicy): number {
  return policy.backoffMs[0] ?? 30 * SECOND;
}

export type FailureAction = { readonly kind: 'nak'; readonly delayMs: number } | { readonly kind: 'dead-letter' };

/**
 * What to do with a message whose handler failed (house-style.md §3): a retryable failure
 * with deliveries left is nak'ed with the table's delay; a rejection, or a failure on the
 * last delivery, goes to the dead-letter subject.
 */
export function failureAction(
  policy: RetryPolicy,
  disposition: 'retry' | 'reject',
  deliveryCount: number,
  maxDeliver: number = policy.maxDeliver,
): FailureAction {
  if (disposition === 'retry' && !isLastAttempt(maxDeliver, deliveryCount)) {
    return { kind: 'nak', delayMs: backoffDelayMs(policy, deliveryCount) };
  }
  return { kind: 'dead-letter' };
}
