import { MESSAGING_ERROR_CODES } from './messaging.errors';

export type Disposition = 'retry' | 'reject';

/**
 * The minimal shape the classifier trusts: the service-wide AppError, or any error a
 * handler builds, as long as it says whether a retry could help.
 */
export interface RetryableErrorShape {
  readonly retryable: boolean;
  readonly code: string;
  readonly message?: string;
}

export function isRetryableError(err: unknown): err is RetryableErrorShape {
  if (typeof err !== 'object' || err === null) return false;
  const candidate = err as { retryable?: unknown; code?: unknown };
  return typeof candidate.retryable === 'boolean' && typeof candidate.code === 'string';
}

/** One row of the classification table: the first row whose `match` holds decides. */
export interface ClassifyRule {
  readonly match: (err: unknown) => boolean;
  readonly decision: Disposition;
  /** Why, in words an operator reads in the failure log (`classifiedBy`). */
  readonly reason: string;
}

export interface Classification {
  readonly decision: Disposition;
  readonly reason: string;
}

/** Connection-level errno codes of Node (libuv) and the NATS client: the peer may be back soon. */
const TRANSIENT_SYSTEM_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
]);

function systemCode(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The rules as data, evaluated in order, first match wins (house-style §3, zone-mta's
 * `config/bounces.txt`). The last row catches everything: an unknown failure is more often
 * a transient outage than a poison message, and max_deliver still bounds the cost of being
 * wrong, so it is retried.
 */
export const CLASSIFY_RULES: readonly ClassifyRule[] = [
  {
    match: (err) => isRetryableError(err) && !err.retryable,
    decision: 'reject',
    reason: 'the error says retrying cannot help (retryable: false)',
  },
  {
    match: (err) => isRetryableError(err) && err.retryable,
    decision: 'retry',
    reason: 'the error says the same input may succeed later (retryable: true)',
  },
  {
    match: (err) => TRANSIENT_SYSTEM_CODES.has(systemCode(err) ?? ''),
    decision: 'retry',
    reason: 'a connection-level system error: the peer may be back soon',
  },
  {
    match: () => true,
    decision: 'retry',
    reason: 'unknown failure: retried until max_deliver, then dead-lettered',
  },
];

/** Pure: the first rule of `rules` that matches `err`, as a decision and the reason for it. */
export function classifyWith(rules: readonly ClassifyRule[], err: unknown): Classification {
  for (const rule of rules) {
    if (rule.match(err)) return { decision: rule.decision, reason: rule.reason };
  }
  return { decision: 'retry', reason: 'no rule matched' };
}

/** `classify(err) → 'retry' | 'reject'` by CLASSIFY_RULES (house-style §3). */
export function classify(err: unknown): Disposition {
  return classifyWith(CLASSIFY_RULES, err).decision;
}

/** The decision and the rule's reason, for log lines. */
export function explainClassification(err: unknown): Classification {
  return classifyWith(CLASSIFY_RULES, err);
}

/** The stable code carried in logs and dead letters; Node system errors keep theirs. */
export function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
  }
  return MESSAGING_ERROR_CODES.unexpected;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}
