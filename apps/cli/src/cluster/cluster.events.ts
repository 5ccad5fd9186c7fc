// What the cluster runner reports as it goes, and the one line each becomes on `./dev up`'s
// output (the e2e tests read the same lines, so what they assert is what a person sees).
import { CLI_ERROR_CODES } from '../cli-errors';
import type { ServiceName } from './service-catalog';
import type { ProcessExit, StopOutcome } from './service-process';
import { describeExit, type RestartDecision, type RestartPolicy } from './restart.policy';

export type ClusterEvent =
  | { readonly kind: 'starting'; readonly service: ServiceName; readonly restart?: number }
  | { readonly kind: 'ready'; readonly service: ServiceName; readonly ports: Readonly<Record<string, number>> }
  | {
      readonly kind: 'crashed'; readonly service: ServiceName;
      /** How the process ended; `how` says it for people (also when it died while starting). */
      readonly exit?: ProcessExit; readonly how: string;
      readonly decision: RestartDecision; readonly policy: RestartPolicy; readonly logFile: string;
    }
  | { readonly kind: 'stopping'; readonly service: ServiceName }
  | { readonly kind: 'stopped'; readonly service: ServiceName; readonly outcome: StopOutcome; readonly budgetMs: number };

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `appointment   crashed  signal SIGKILL; restart 1 in 1.0 s (…)`, one line per event. */
export function describeEvent(e: ClusterEvent): string {
  const name = e.service.padEnd(13);
  switch (e.kind) {
    case 'starting':
      return `${name} starting${e.restart ? ` (restart ${e.restart})` : ''}`;
    case 'ready':
      return `${name} ready  ${Object.entries(e.ports).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    case 'crashed':
      return `${name} crashed  ${e.how}; ${describeDecision(e.decision, e.policy, e.logFile)}`;
    case 'stopping':
      return `${name} stopping`;
    case 'stopped':
      return `${name} stopped  ${describeStop(e.outcome, e.budgetMs)}`;
    default: {
      const never: never = e;
      return String(never);
    }
  }
}

function describeDecision(d: RestartDecision, policy: RestartPolicy, logFile: string): string {
  const window = `${Math.round(policy.windowMs / 60_000)} min`;
  if (d.kind === 'give-up') {
    return `ERROR ${CLI_ERROR_CODES.serviceCrashLoop}: ${d.crashesInWindow} crashes within ${window}, giving up on it (not restarting; log: ${logFile})`;
  }
  return `restart ${d.restart} in ${seconds(d.delayMs)} (crash ${d.crashesInWindow} of ${policy.maxCrashes} allowed within ${window}; log: ${logFile})`;
}

/** `cleanly in 0.4 s (exit 0)`, or what was forced. */
export function describeStop(o: StopOutcome, budgetMs: number): string {
  if (o.forced) return `KILLED after its ${seconds(budgetMs)} budget (${describeExit(o.exit.code, o.exit.signal)})`;
  if (o.exit.code === 0) return `cleanly in ${seconds(o.ms)} (exit 0)`;
  return `in ${seconds(o.ms)}, not cleanly (${describeExit(o.exit.code, o.exit.signal)})`;
}
