import { MESSAGING_ERROR_CODES } from './messaging.errors';

export type Disposition = 'retry' | 'reject';

/**
 * The minimal shape the classifier trusts: the service-wide AppError, MessagingError, or
 * any error a handler builds, as long as it says whether a retry could help.
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

interface ClassifyRule {
  readonly name: string;
  readonly decide: (err: unknown) => Disposition | undefined;
}

/**
 * Rules kept as data, first match wins, like zone-mta's bounce rules. Anything no rule
 * recognises is retried: an unknown failure is more often a transient outage than a
 * poison message, and max_deliver still bounds the cost of being wrong.
 */
const CLASSIFY_RULES: readonly ClassifyRule[] = [
  {
    name: 'error states its own retryability',
    decide: (err) => (isRetryableError(err) ? (err.retryable ? 'retry' : 'reject') : undefined),
  },
];

export function classify(err: unknown): Disposition {
  for (const rule of CLASSIFY_RULES) {
    const disposition = rule.decide(err);
    if (disposition !== undefined) return disposition;
  }
  return 'retry';
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
