// Process wiring for runShutdown, after zone-mta's two-stage shutdown: the first SIGTERM/SIGINT
// starts a graceful run bounded by a forced-exit timer; a second signal means the operator
// has given up waiting, so exit at once.
import { RUNTIME_ERROR_CODES } from './app.error';
import type { Logger } from './logger.factory';
import { runShutdown, type ShutdownResult, type ShutdownStep } from './shutdown.runner';

export const EXIT_FORCED = 1;
/** 128 + SIGINT: the shell convention for "interrupted". */
export const EXIT_SECOND_SIGNAL = 130;

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface OnShutdownOptions {
  readonly signals?: readonly NodeJS.Signals[];
  /** Tests inject these; production uses the process. */
  readonly source?: SignalSource;
  readonly exit?: (code: number) => void;
}

/** Registers the handlers; returns a function that removes them (for tests). */
export function onShutdown(
  log: Logger,
  timeoutMs: number,
  steps: readonly ShutdownStep[],
  options: OnShutdownOptions = {},
): () => void {
  return onStopSignal(log, timeoutMs, () => runShutdown(steps, log, timeoutMs), options);
}

/**
 * The same two-stage handling for a service whose stop is already a function: `start(config)`
 * returns a running service with `stop()`, which tests call directly and `main.ts` hands here.
 */
export function onStopSignal(
  log: Logger,
  timeoutMs: number,
  stop: () => Promise<ShutdownResult>,
  options: OnShutdownOptions = {},
): () => void {
  const source = options.source ?? process;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = exitOnce(options.exit ?? ((code: number) => process.exit(code)));
  let started = false;

  const handler = (signal: NodeJS.Signals): void => {
    if (started) {
      log.warn({ signal }, 'second signal during shutdown, exiting now');
      exit(EXIT_SECOND_SIGNAL);
      return;
    }
    started = true;
    log.info({ signal, timeoutMs }, 'shutdown started');
    gracefulExit(log, timeoutMs, stop, exit);
  };

  for (const signal of signals) source.on(signal, handler);
  return () => {
    for (const signal of signals) source.off(signal, handler);
  };
}

function gracefulExit(log: Logger, timeoutMs: number, stop: () => Promise<ShutdownResult>, exit: (code: number) => void): void {
  // The stop first: with equal delays its own timer fires first, so its log names the stuck
  // step. The forced timer is the backstop for a run that cannot even finish timing out;
  // unref'd so it never holds the process open by itself.
  const shutdown = stop();
  const forced = setTimeout(() => {
    log.error({ code: RUNTIME_ERROR_CODES.shutdownTimeout, timeoutMs }, 'shutdown overran its budget, forcing exit');
    exit(EXIT_FORCED);
  }, timeoutMs);
  forced.unref();
  void shutdown.then((result) => {
    clearTimeout(forced);
    const failed = result.steps.filter((step) => step.status !== 'ok').map((step) => step.name);
    log.info({ outcome: result.outcome, durationMs: result.durationMs, failed }, 'shutdown finished');
    exit(result.outcome === 'completed' ? 0 : EXIT_FORCED);
  }, (err: unknown) => {
    clearTimeout(forced);
    log.error({ err, code: RUNTIME_ERROR_CODES.shutdownStepFailed }, 'shutdown failed');
    exit(EXIT_FORCED);
  });
}

function exitOnce(exit: (code: number) => void): (code: number) => void {
  let done = false;
  return (code) => {
    if (done) return;
    done = true;
    exit(code);
  };
}
