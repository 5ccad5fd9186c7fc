// One JSON line per event, `service` on every line, ISO timestamps, and errors serialised with
// their `code`, `retryable` and cause chain so a failure log can be joined to
// docs/error-codes.md without reading a stack trace.
import { hostname } from 'node:os';
import pino from 'pino';
import type { LogLevel } from './common.config';

export type Logger = pino.Logger;

export interface LoggerOptions {
  readonly service: string;
  readonly level?: LogLevel;
  /** Defaults to stdout; tests pass a stream to capture lines. */
  readonly destination?: pino.DestinationStream;
}

// Keys whose values are secrets wherever they appear, up to two levels deep. Redaction by key
// is a safety net, not a licence to log config objects or headers wholesale.
const SECRET_KEYS = [
  'password',
  'passwd',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'authorization',
  'cookie',
  'credentials',
  'privateKey',
  'mongoUrl',
  'MONGO_URL',
];

export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(options: LoggerOptions): Logger {
  const config: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names ("warn") rather than numbers (40): readable in `kubectl logs` and matchable
    // in log queries without a lookup table.
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError, error: serializeError },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
  };
  // Synchronous stdout: pino's default is asynchronous, which loses or reorders the last lines
  // when a process exits straight after logging (config errors, shutdown, crashes) -- exactly
  // the lines an operator needs. Our log volume does not justify the trade.
  return pino(config, options.destination ?? pino.destination({ dest: 1, sync: true }));
}

/** Error → plain object; tolerates non-Error throwables (strings, objects) from libraries. */
export function serializeError(value: unknown): Record<string, unknown> {
  if (value instanceof Error) return pino.stdSerializers.errWithCause(value) as Record<string, unknown>;
  return { type: typeof value, message: String(value) };
}
