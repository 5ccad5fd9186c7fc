// Entry-point wrapper for main.ts: a failure before the service is up becomes one JSON log line
// naming the error, then a non-zero exit that tells the orchestrator what kind of failure it was.
import type pino from 'pino';
import { RUNTIME_ERROR_CODES, isAppError } from './app.error';
import { type ConfigError, isConfigError } from './config.error';
import { createLogger } from './logger.factory';

/** sysexits.h EX_CONFIG: restarting will not help until someone fixes the configuration. */
export const EXIT_CONFIG = 78;
export const EXIT_FAILURE = 1;

export interface FatalExitOptions {
  /** Used when the error does not name the service itself. */
  readonly service?: string;
  readonly exit?: (code: number) => void;
  readonly destination?: pino.DestinationStream;
}

/** Logs the ConfigError (every bad variable, secrets hidden) as one line, exits 78. */
export function exitOnConfigError(error: ConfigError, options: FatalExitOptions = {}): void {
  const log = createLogger({ service: error.service, level: 'info', destination: options.destination });
  log.fatal({ code: error.code, problems: error.problems }, error.message);
  (options.exit ?? process.exit)(EXIT_CONFIG);
}

export interface RunServiceOptions extends FatalExitOptions {
  /** Log and exit on uncaught exceptions/unhandled rejections too (default true). */
  readonly handleCrashes?: boolean;
}

/**
 * Runs `main` (which wires the service and returns once it is up). A ConfigError exits 78;
 * anything else exits 1 with the error's code, or STARTUP_FAILED for foreign errors.
 */
export async function runService(main: () => Promise<unknown>, options: RunServiceOptions = {}): Promise<void> {
  const service = options.service ?? 'service';
  const exit = options.exit ?? ((code: number) => process.exit(code));
  if (options.handleCrashes ?? true) installCrashHandlers(service, options.destination, exit);
  try {
    await main();
  } catch (err) {
    if (isConfigError(err)) {
      exitOnConfigError(err, options);
      return;
    }
    const log = createLogger({ service, level: 'info', destination: options.destination });
    const code = isAppError(err) ? err.code : RUNTIME_ERROR_CODES.startupFailed;
    log.fatal({ err, code }, `${service} failed to start: ${err instanceof Error ? err.message : String(err)}`);
    exit(EXIT_FAILURE);
  }
}

// Node's default crash output is a multi-line stack on stderr that log pipelines split into
// noise; this keeps even the last words of a process as one JSON line with a code.
function installCrashHandlers(
  service: string,
  destination: pino.DestinationStream | undefined,
  exit: (code: number) => void,
): void {
  const log = createLogger({ service, level: 'info', destination });
  process.on('uncaughtException', (err) => {
    log.fatal({ err, code: RUNTIME_ERROR_CODES.uncaughtException }, 'uncaught exception');
    exit(EXIT_FAILURE);
  });
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason, code: RUNTIME_ERROR_CODES.unhandledRejection }, 'unhandled promise rejection');
    exit(EXIT_FAILURE);
  });
}
