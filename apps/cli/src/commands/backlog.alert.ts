// `inviteflow status --max-backlog-age`: the seed's first weak point was that a stopped
// background process let invites pile up unnoticed. A cron job or probe running `status`
// gets exit 1 once any durable consumer's oldest unacknowledged message is older than this.
import type { ConsumerStatus } from '@inviteflow/messaging';
import { CLI_ERROR_CODES, cliError } from '../cli-output';

/** Five minutes: well above a healthy pipeline's seconds, well below a lost afternoon. */
export const DEFAULT_MAX_BACKLOG_AGE_MS = 5 * 60_000;

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `60s`, `5m`, `1h`, `500ms`, or a bare number of seconds. */
export function parseDuration(text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw cliError(CLI_ERROR_CODES.usage, `--max-backlog-age takes a duration such as 60s, 5m or 1h, not '${text}'`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 's']!);
}

/** The consumers whose oldest pending message is older than `maxAgeMs`, oldest first. */
export function overdueConsumers(consumers: readonly ConsumerStatus[], maxAgeMs: number): ConsumerStatus[] {
  return consumers
    .filter((c) => c.oldestPendingAgeMs !== null && c.oldestPendingAgeMs > maxAgeMs)
    .sort((a, b) => (b.oldestPendingAgeMs ?? 0) - (a.oldestPendingAgeMs ?? 0));
}
