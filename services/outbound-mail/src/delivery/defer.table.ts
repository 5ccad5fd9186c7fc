// When a temporarily refused delivery is tried again: a table of growing delays, in the style of
// zone-mta's lib/sender.js, kept as config (DELIVERY_DEFER_TABLE) so tests run it in milliseconds.
// Pure: no clock reads; `now` and the delivery's age are passed in.
import { AppError } from '@inviteflow/runtime';

/**
 * The default table. Delays after the 1st, 2nd, ... temporary failure, with running totals:
 *   1 min   (1 min)
 *   5 min   (6 min)
 *   15 min  (21 min)
 *   1 h     (1 h 21 min)
 *   4 h     (5 h 21 min)
 *   8 h     (13 h 21 min)
 *   24 h    (37 h 21 min)
 *   24 h    (61 h 21 min)
 * then the delivery fails as DELIVERY_EXPIRED, or sooner when DELIVERY_MAX_AGE_MS has passed
 * (RFC 5321 §4.5.4.1: give up after "at least 4-5 days" is for MTAs holding mail for people; a
 * meeting invitation delivered days late is usually worthless, so the default is shorter).
 */
export const DEFAULT_DEFER_TABLE = '1m,5m,15m,1h,4h,8h,24h,24h';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "1m,5m,15m,1h" → [60000, 300000, 900000, 3600000]; a bare number is milliseconds. */
export function parseDeferTable(text: string): number[] {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw badTable(text, 'it is empty');
  return items.map((item) => {
    const m = /^(\d+)(ms|s|m|h|d)?$/.exec(item);
    if (!m) throw badTable(text, `"${item}" is not a number with an optional unit ms, s, m, h or d`);
    return Number(m[1]) * UNIT_MS[m[2] ?? 'ms']!;
  });
}

function badTable(text: string, why: string): AppError {
  return new AppError({ code: 'CONFIG_INVALID', message: `DELIVERY_DEFER_TABLE "${text}": ${why}`, retryable: false });
}

export interface DeferPolicy {
  /** Delay after the 1st, 2nd, ... temporary failure. */
  readonly delaysMs: readonly number[];
  /** A delivery first queued longer ago than this fails at its next temporary failure. */
  readonly maxAgeMs: number;
}

export type DeferDecision = { kind: 'defer'; nextAttemptAt: Date } | { kind: 'expire'; why: string };

/**
 * After the `attempts`-th attempt failed temporarily: when to try again, or give up because
 * the table is exhausted or the next attempt would fall past the maximum age.
 */
export function afterTemporaryFailure(policy: DeferPolicy, attempts: number, createdAt: Date, now: Date): DeferDecision {
  const delay = policy.delaysMs[attempts - 1];
  if (delay === undefined) return { kind: 'expire', why: `gave up after ${attempts} attempts (the defer table has ${policy.delaysMs.length} delays)` };
  const next = new Date(now.getTime() + delay);
  if (next.getTime() - createdAt.getTime() > policy.maxAgeMs) {
    return { kind: 'expire', why: `gave up after ${attempts} attempts: the next one would be more than ${Math.round(policy.maxAgeMs / 60_000)} min after the mail was queued` };
  }
  return { kind: 'defer', nextAttemptAt: next };
}
