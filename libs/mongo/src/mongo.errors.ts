import {
  MongoBulkWriteError,
  MongoClientClosedError,
  MongoError,
  MongoNetworkError,
  MongoOperationTimeoutError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { AppError, isAppError } from '@inviteflow/runtime';

/**
 * Stable codes (house-style.md §8), listed in docs/error-codes.md. `DUPLICATE_KEY` keeps its
 * shipped name (codes are never renamed: dashboards and dead-letter headers key on them).
 */
export const MONGO_ERROR_CODES = {
  /** A unique index refused a write. Not retryable: the same write fails the same way again. */
  duplicateKey: 'DUPLICATE_KEY',
  /** The database could not be reached or did not answer in time; retrying later may succeed. */
  unavailable: 'MONGO_UNAVAILABLE',
  /** Any other driver or server error: treated as permanent so it reaches a dead letter. */
  failure: 'MONGO_FAILURE',
} as const;

export type MongoErrorCode = (typeof MONGO_ERROR_CODES)[keyof typeof MONGO_ERROR_CODES];

/** `details` of a DUPLICATE_KEY AppError, as far as the server says. */
export type DuplicateKeyDetails = {
  /** Collection name, parsed from the server message ("collection: <db>.<coll>"). */
  collection?: string;
  database?: string;
  /** Index name, parsed from the server message ("index: <name> dup key:"). */
  index?: string;
  /**
   * Only real MongoDB (4.2+) sends keyValue/keyPattern, and the driver keeps them for single
   * writes only (its bulk WriteError drops them). The stand-in never sends them.
   */
  keyValue?: Record<string, unknown>;
  keyPattern?: Record<string, unknown>;
};

// 11000 is DuplicateKey; 11001 is the legacy code some older servers used for updates.
const DUPLICATE_KEY_CODES = new Set([11000, 11001]);

// Server codes that mean "not now" rather than "never": the retryable-reads/-writes spec list
// (mongodb/specifications retryable-writes.md#terms, mirrored in the driver's error.js),
// plus MaxTimeMSExpired (50) and WriteConcernTimeout (64), which are load, not bad input.
// Retrying is safe because every handler is idempotent (architecture.md, Messaging).
const UNAVAILABLE_SERVER_CODES = new Set([
  6, 7, 50, 64, 89, 91, 134, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436,
]);

// Labels the server or driver attach when the operation may succeed on another attempt.
const RETRYABLE_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool', 'PoolRequstedRetry'];

// Driver errors that are not exported from the package's public types (cmap/errors.js).
const UNAVAILABLE_ERROR_NAMES = new Set(['MongoWaitQueueTimeoutError', 'MongoPoolClosedError', 'MongoPoolClearedError']);

/**
 * The one place a driver error becomes an AppError: a unique violation → DUPLICATE_KEY, a
 * network / selection / timeout failure → MONGO_UNAVAILABLE (retryable), any other Mongo
 * error → MONGO_FAILURE. `context` names the operation ("associates.insert") in the message
 * and in `details.operation`. An AppError is returned unchanged, and so is any error that is
 * not MongoDB's (a bug in the caller stays what it is).
 */
export function mapMongoError(err: unknown, context?: string): AppError | Error {
  if (isAppError(err)) return err;
  if (!(err instanceof MongoError)) return err instanceof Error ? err : new TypeError(String(err));
  const where = context ? `${context}: ` : '';
  const operation = context ? { operation: context } : {};
  if (isDuplicateKey(err)) return toDuplicateKeyError(err, where, operation);
  if (isUnavailable(err)) {
    return new AppError({ code: MONGO_ERROR_CODES.unavailable, message: `${where}MongoDB unavailable: ${err.message}`, retryable: true, cause: err, details: operation });
  }
  return new AppError({ code: MONGO_ERROR_CODES.failure, message: `${where}MongoDB operation failed: ${err.message}`, retryable: false, cause: err, details: operation });
}

/** True when `err` is (or maps to) a unique-index violation. */
export function isDuplicateKeyError(err: unknown): boolean {
  const mapped = mapMongoError(err);
  return isAppError(mapped) && mapped.code === MONGO_ERROR_CODES.duplicateKey;
}

/** Runs one database operation and rethrows its failure through mapMongoError. */
export async function withMongoErrors<T>(operation: () => Promise<T>, context?: string): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw mapMongoError(err, context);
  }
}

function isDuplicateKey(err: MongoError): boolean {
  if (typeof err.code === 'number' && DUPLICATE_KEY_CODES.has(err.code)) return true;
  if (err instanceof MongoBulkWriteError) {
    return firstDuplicateWriteError(err) !== undefined;
  }
  return false;
}

function isUnavailable(err: MongoError): boolean {
  if (
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoOperationTimeoutError ||
    // Closed during shutdown: this process cannot finish, another replica can.
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoClientClosedError
  ) {
    return true;
  }
  if (UNAVAILABLE_ERROR_NAMES.has(err.name)) return true;
  if (RETRYABLE_LABELS.some((label) => err.hasErrorLabel(label))) return true;
  return typeof err.code === 'number' && UNAVAILABLE_SERVER_CODES.has(err.code);
}

type RawWriteError = { code?: unknown; errmsg?: unknown; keyValue?: unknown; keyPattern?: unknown };

function firstDuplicateWriteError(err: MongoBulkWriteError): RawWriteError | undefined {
  const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
  for (const writeError of writeErrors) {
    // The driver's WriteError keeps its copy of the server's entry in `.err`.
    const raw = (writeError as { err?: RawWriteError }).err ?? (writeError as RawWriteError);
    if (typeof raw.code === 'number' && DUPLICATE_KEY_CODES.has(raw.code)) return raw;
  }
  return undefined;
}

function toDuplicateKeyError(err: MongoError, where: string, operation: { operation?: string }): AppError {
  const fromBulk = err instanceof MongoBulkWriteError ? firstDuplicateWriteError(err) : undefined;
  const source = (fromBulk ?? err) as RawWriteError;
  const message = typeof fromBulk?.errmsg === 'string' ? fromBulk.errmsg : err.message;
  const details: DuplicateKeyDetails = {
    ...parseDuplicateKeyMessage(message),
    keyValue: asRecord(source.keyValue),
    keyPattern: asRecord(source.keyPattern),
  };
  const at = [details.collection && `collection ${details.collection}`, details.index && `index ${details.index}`]
    .filter(Boolean)
    .join(', ');
  return new AppError({
    code: MONGO_ERROR_CODES.duplicateKey, retryable: false, cause: err,
    message: `${where}Duplicate key${at ? ` (${at})` : ''}: ${message}`,
    details: { ...details, ...operation },
  });
}

// Both real MongoDB (3.6+) and the stand-in write:
//   E11000 duplicate key error collection: <db>.<coll> index: <name> dup key: { ... }
// findAndModify prefixes "Plan executor error during findAndModify :: caused by :: ", and an
// index build "Index build failed: ... :: caused by :: ", so the match is not anchored.
const DUPLICATE_KEY_MESSAGE = /E1100[01] duplicate key error collection: ([^.\s]+)\.(\S+) index: (.+?) dup key:/;

export function parseDuplicateKeyMessage(message: string): Pick<DuplicateKeyDetails, 'collection' | 'database' | 'index'> {
  const match = DUPLICATE_KEY_MESSAGE.exec(message);
  if (!match) return {};
  // A database name cannot contain '.', a collection name can: split at the first dot.
  return { database: match[1], collection: match[2], index: match[3] };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}
