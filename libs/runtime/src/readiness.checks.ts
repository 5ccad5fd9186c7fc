// Readiness is a set of named connectivity checks (house-style §6: connectivity only; the
// write-and-delete probe runs once at startup). They run in parallel, each bounded, so a hung
// dependency turns /readyz into a fast 503 instead of a kubelet probe timeout.
import type { Timed } from './timeout.util';
import { withTimeout } from './timeout.util';
import { assertNever } from '@inviteflow/contracts';

export type Check = () => boolean | Promise<boolean>;
export type Checks = Readonly<Record<string, Check>>;

export interface CheckReport {
  readonly ok: boolean;
  /** Names of failed checks, in declaration order. */
  readonly failed: readonly string[];
  /** Why each failed: "returned false", "timed out after 2000 ms", "threw <code or name>". */
  readonly reasons: Readonly<Record<string, string>>;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

export async function runChecks(checks: Checks, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS): Promise<CheckReport> {
  const entries = Object.entries(checks);
  const outcomes = await Promise.all(entries.map(([, check]) => withTimeout(check, timeoutMs)));
  const reasons: Record<string, string> = {};
  entries.forEach(([name], index) => {
    const reason = failureReason(outcomes[index]!, timeoutMs);
    if (reason !== undefined) reasons[name] = reason;
  });
  const failed = Object.keys(reasons);
  return { ok: failed.length === 0, failed, reasons };
}

function failureReason(outcome: Timed<boolean>, timeoutMs: number): string | undefined {
  switch (outcome.status) {
    case 'fulfilled':
      return outcome.value === true ? undefined : 'returned false';
    case 'timed-out':
      return `timed out after ${timeoutMs} ms`;
    case 'rejected':
      // Only a code or class name: the body is served unauthenticated and messages can carry
      // hosts or credentials.
      return `threw ${errorLabel(outcome.reason)}`;
    default:
      return assertNever(outcome);
  }
}

function errorLabel(reason: unknown): string {
  if (reason instanceof Error) {
    const code = (reason as { code?: unknown }).code;
    return typeof code === 'string' ? code : reason.name;
  }
  return typeof reason;
}
