// The CLI's failures are AppErrors like everywhere else (house-style §8); what is special
// about a command line is only the exit code, which scripts read. It is derived from the
// code by one table, so a message can change without changing what a script sees.
import { AppError, isAppError } from '@inviteflow/runtime';

/** Exit codes that mean something to scripts (documented in README, "CLI"). */
export const EXIT = {
  ok: 0,
  /** The command ran but some of what it was asked failed (refused import rows, ...). */
  partial: 1,
  usage: 2,
  /** A service or the infrastructure could not be reached. */
  unavailable: 3,
  notFound: 4,
  /** `parse`: the file holds no usable invitation (ignored or rejected; the reason is printed). */
  noInvitation: 5,
} as const;

/** Mirrored in docs/error-codes.md ("CLI"); a unit test keeps the two in step. */
export const CLI_ERROR_CODES = {
  usage: 'CLI_USAGE',
  unknownCommand: 'CLI_UNKNOWN_COMMAND',
  fileUnreadable: 'CLI_FILE_UNREADABLE',
  unavailable: 'CLI_UNAVAILABLE',
  notFound: 'CLI_NOT_FOUND',
  partlyFailed: 'CLI_PARTLY_FAILED',
  serviceStartFailed: 'CLI_SERVICE_START_FAILED',
  serviceCrashLoop: 'CLI_SERVICE_CRASH_LOOP',
} as const;

export type CliErrorCode = (typeof CLI_ERROR_CODES)[keyof typeof CLI_ERROR_CODES];

const EXIT_BY_CODE: Readonly<Record<CliErrorCode, number>> = {
  CLI_USAGE: EXIT.usage,
  CLI_UNKNOWN_COMMAND: EXIT.usage,
  // README: "2 usage (also: a file that cannot be read)".
  CLI_FILE_UNREADABLE: EXIT.usage,
  CLI_UNAVAILABLE: EXIT.unavailable,
  CLI_NOT_FOUND: EXIT.notFound,
  CLI_PARTLY_FAILED: EXIT.partial,
  CLI_SERVICE_START_FAILED: EXIT.partial,
  CLI_SERVICE_CRASH_LOOP: EXIT.partial,
};

/** An AppError with one of the CLI's codes; only "not reachable" may succeed if tried again. */
export function cliError(code: CliErrorCode, message: string, details?: Record<string, unknown>): AppError {
  return new AppError({ code, message, retryable: code === CLI_ERROR_CODES.unavailable, details });
}

function isCliCode(code: string): code is CliErrorCode {
  return Object.prototype.hasOwnProperty.call(EXIT_BY_CODE, code);
}

/** The exit code for a failure: the table for the CLI's codes, 1 for anything else. */
export function exitCodeOf(err: unknown): number {
  return isAppError(err) && isCliCode(err.code) ? EXIT_BY_CODE[err.code] : EXIT.partial;
}

/** True for an AppError carrying one of the CLI's codes (its message is meant for people). */
export function isCliError(err: unknown): err is AppError & { code: CliErrorCode } {
  return isAppError(err) && isCliCode(err.code);
}
