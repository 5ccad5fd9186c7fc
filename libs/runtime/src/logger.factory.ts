// One JSON line per event, `service` on every line, ISO timestamps, and errors serialised with
// their `code`, `retryable` and cause chain so a failure log can be joined to
// docs/error-codes.md without reading a stack trace.
import { hostname } from 'node:os';
import pino from 'pino';
import type { LogLevel } from './common.config';
import { stdoutLogSink } from './log.destination';
import { redactSecrets, SECRET_KEYS } from './log.redact';

export type Logger = pino.Logger;

export interface LoggerOptions {
  readonly service: string;
  readonly level?: LogLevel;
  /** Defaults to the process's buffered stdout sink; tests pass a stream to capture lines. */
  readonly destination?: pino.DestinationStream;
}

/** The pino `redact` paths equivalent to what `redactSecrets` censors (kept for callers that configure pino themselves). */
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(options: LoggerOptions): Logger {
  const config: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      // Level names ("warn") rather than numbers (40): readable in `kubectl logs` and matchable
      // in log queries without a lookup table.
      level: (label) => ({ level: label }),
      // Secrets by key, up to two levels down (log.redact.ts says why not pino's `redact`).
      log: (object) => redactSecrets(object),
      bindings: (bindings) => redactSecrets(bindings),
    },
    serializers: { err: serializeError, error: serializeError },
  };
  // Default: the process's buffered stdout sink, flushed on exit, on fatal lines and every
  // 200 ms (log.destination.ts); LOG_SYNC=true writes each line at once.
  return pino(config, options.destination ?? stdoutLogSink());
}

/** Error → plain object; tolerates non-Error throwables (strings, objects) from libraries. */
export function serializeError(value: unknown): Record<string, unknown> {
  // Redacted after serialising: the formatter above leaves Errors alone (it would turn them
  // into plain objects), so an AppError's details are searched here, one and two levels down.
  if (value instanceof Error) return redactSecrets(pino.stdSerializers.errWithCause(value) as Record<string, unknown>, 1);
  return { type: typeof value, message: String(value) };
}
