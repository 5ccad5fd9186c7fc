// What the local cluster runner does when a service process dies on its own: restart it
// with exponential backoff, as Kubernetes does for a crash-looping container
// (CrashLoopBackOff: 10 s, 20 s, 40 s … capped at 5 min, reset after 10 min of running).
// Locally the steps are shorter so a developer sees a crashed service back within seconds,
// and after repeated crashes the runner gives up loudly instead of looping for ever.
// Pure: the caller passes the crash history and the clock.

export interface RestartPolicy {
  /** Delay before the first restart; doubles per crash still in the window. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** This many crashes within `windowMs` → stop restarting the service. */
  readonly maxCrashes: number;
  /** Crashes older than this are forgotten (the service ran well in between). */
  readonly windowMs: number;
}

//   crash 1 → restart after 1 s   (1 s in all)
//   crash 2 → restart after 2 s   (3 s)
//   crash 3 → restart after 4 s   (7 s)
//   crash 4 → restart after 8 s   (15 s)
//   crash 5 within 5 min → give up
export const LOCAL_RESTART_POLICY: RestartPolicy = { baseDelayMs: 1000, maxDelayMs: 30_000, maxCrashes: 5, windowMs: 5 * 60_000 };

export type RestartDecision =
  | { readonly kind: 'restart'; readonly restart: number; readonly delayMs: number; readonly crashesInWindow: number }
  | { readonly kind: 'give-up'; readonly crashesInWindow: number };

/**
 * `earlierCrashes`: the times (ms) of this service's earlier crashes; `now`: this crash.
 * Returns the decision and the history to keep for the next crash.
 */
export function decideRestart(
  earlierCrashes: readonly number[], now: number, policy: RestartPolicy = LOCAL_RESTART_POLICY,
): { decision: RestartDecision; crashes: number[] } {
  const crashes = [...earlierCrashes.filter((t) => now - t < policy.windowMs), now];
  const n = crashes.length;
  if (n >= policy.maxCrashes) return { decision: { kind: 'give-up', crashesInWindow: n }, crashes };
  const delayMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
  return { decision: { kind: 'restart', restart: n, delayMs, crashesInWindow: n }, crashes };
}

/** How a process ended, for people: `exit code 3` or `signal SIGKILL`. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal ${signal}`;
  return `exit code ${code ?? 'unknown'}`;
}
