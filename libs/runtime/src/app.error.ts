// The one error type of the codebase (house-style §8, practica's AppError). Handlers throw it so
// that classification (retry vs reject, §3) reads a flag instead of guessing from messages, and
// every failure log carries a stable `code` that is listed in docs/error-codes.md.

const CODE_SHAPE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

export interface AppErrorOptions {
  /** SCREAMING_SNAKE, stable once shipped: dashboards, alerts and DLQ headers key on it. */
  readonly code: string;
  readonly message: string;
  /** True when the same input may succeed later (dependency down, timeout). */
  readonly retryable: boolean;
  readonly cause?: unknown;
  /** Structured context for logs; never put secrets or whole payloads here. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export class AppError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(options: AppErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    // A malformed code is a programming error; failing loudly here keeps the catalogue clean.
    if (!CODE_SHAPE.test(options.code)) {
      throw new TypeError(`AppError code must be SCREAMING_SNAKE, got "${options.code}"`);
    }
    this.name = 'AppError';
    this.code = options.code;
    this.retryable = options.retryable;
    this.details = options.details;
  }
}

/** Narrowing guard; duck-typed so errors from another copy of this module still count. */
export function isAppError(value: unknown): value is AppError {
  if (value instanceof AppError) return true;
  if (!(value instanceof Error)) return false;
  const candidate = value as Partial<AppError>;
  return typeof candidate.code === 'string' && typeof candidate.retryable === 'boolean';
}

/**
 * Codes raised or logged by libs/runtime. Mirrored in docs/error-codes.md; a unit test keeps
 * the two in step.
 */
export const RUNTIME_ERROR_CODES = {
  configInvalid: 'CONFIG_INVALID',
  healthServerListenFailed: 'HEALTH_SERVER_LISTEN_FAILED',
  readinessCheckFailed: 'READINESS_CHECK_FAILED',
  shutdownStepFailed: 'SHUTDOWN_STEP_FAILED',
  shutdownTimeout: 'SHUTDOWN_TIMEOUT',
  startupFailed: 'STARTUP_FAILED',
  uncaughtException: 'UNCAUGHT_EXCEPTION',
  unhandledRejection: 'UNHANDLED_REJECTION',
} as const;

export type RuntimeErrorCode = (typeof RUNTIME_ERROR_CODES)[keyof typeof RUNTIME_ERROR_CODES];
