// The core of graceful shutdown, without signals or process.exit so it can be tested directly.
// Steps run strictly in order (stop pulling → finish in-flight → close connections → close the
// health server): each depends on the previous one having let go of its work.
import { RUNTIME_ERROR_CODES } from './app.error';
import type { Logger } from './logger.factory';
import { withTimeout } from './timeout.util';

export type ShutdownStep = (() => unknown) | { readonly name: string; readonly run: () => unknown };

export interface StepResult {
  readonly name: string;
  readonly status: 'ok' | 'failed' | 'timed-out' | 'not-run';
  readonly durationMs?: number;
  readonly error?: unknown;
}

export interface ShutdownResult {
  readonly outcome: 'completed' | 'timed-out';
  readonly steps: readonly StepResult[];
  readonly durationMs: number;
}

export async function runShutdown(
  steps: readonly ShutdownStep[],
  log: Logger,
  timeoutMs: number,
): Promise<ShutdownResult> {
  const started = Date.now();
  const named = steps.map(toNamedStep);
  const results: StepResult[] = [];
  // Set on timeout so the abandoned loop does not start further steps behind our back.
  const progress = { abandoned: false };
  const run = await withTimeout(() => runInOrder(named, log, results, progress), timeoutMs);
  if (run.status === 'timed-out') {
    progress.abandoned = true;
    const stuck = named[results.length]?.name;
    log.error({ code: RUNTIME_ERROR_CODES.shutdownTimeout, step: stuck, timeoutMs }, 'shutdown timed out');
    const rest = named.slice(results.length).map((step, index): StepResult => ({
      name: step.name,
      status: index === 0 ? 'timed-out' : 'not-run',
    }));
    return { outcome: 'timed-out', steps: [...results, ...rest], durationMs: Date.now() - started };
  }
  return { outcome: 'completed', steps: results, durationMs: Date.now() - started };
}

async function runInOrder(
  steps: readonly { name: string; run: () => unknown }[],
  log: Logger,
  results: StepResult[],
  progress: { abandoned: boolean },
): Promise<void> {
  for (const step of steps) {
    if (progress.abandoned) return;
    const started = Date.now();
    log.info({ step: step.name }, 'shutdown step started');
    try {
      await step.run();
      results.push({ name: step.name, status: 'ok', durationMs: Date.now() - started });
      log.info({ step: step.name, durationMs: Date.now() - started }, 'shutdown step finished');
    } catch (err) {
      // Keep going: a failed consumer stop must not leave the Mongo pool or the port open.
      results.push({ name: step.name, status: 'failed', durationMs: Date.now() - started, error: err });
      log.error({ err, step: step.name, code: RUNTIME_ERROR_CODES.shutdownStepFailed }, 'shutdown step failed');
    }
  }
}

function toNamedStep(step: ShutdownStep, index: number): { name: string; run: () => unknown } {
  if (typeof step !== 'function') return step;
  // Bound methods (`consumer.stop.bind(consumer)`) are named "bound stop".
  const name = step.name.replace(/^bound /, '');
  return { name: name === '' ? `step-${index + 1}` : name, run: step };
}
