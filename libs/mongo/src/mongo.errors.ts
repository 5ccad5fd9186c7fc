import {
  MongoBulkWriteError,
  MongoClientClosedError,
  MongoError,
  MongoNetworkError,
  MongoOperationTimeoutError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

/** Stable codes (house-style.md §8); list them in docs/error-codes.md. */
export const MONGO_ERROR_CODES = {
  duplicateKey: 'DUPLICATE_KEY',
  unavailable: 'MONGO_UNAVAILABLE',
  failure: 'MONGO_FAILURE',
} as const;

export type MongoErrorCode = (typeof MONGO_ERROR_CODES)[keyof typeof MONGO_ERROR_CODES];

/** The shape the project-wide AppError will have: `{ code, message, retryable, cause }`. */
export interface AppErrorLike extends Error {
  readonly code: string;
  readonly retryable: boolean;
}

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

/** A unique index rejected a write. Not retryable: the same write fails the same way again. */
export class DuplicateKeyError extends Error implements AppErrorLike {
  readonly code = MONGO_ERROR_CODES.duplicateKey;
  readonly retryable = false;
  readonly collection: string | undefined;
  readonly database: string | undefined;
  readonly index: string | undefined;
  readonly keyValue: Record<string, unknown> | undefined;
  readonly keyPattern: Record<string, unknown> | undefined;

  constructor(message: string, details: DuplicateKeyDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DuplicateKeyError';
    this.collection = details.collection;
    this.database = details.database;
    this.index = details.index;
    this.keyValue = details.keyValue;
    this.keyPattern = details.keyPattern;
  }
}

/** The database could not be reached or did not answer in time; retrying later may succeed. */
export class MongoUnavailableError extends Error implements AppErrorLike {
  readonly code = MONGO_ERROR_CODES.unavailable;
  readonly retryable = true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MongoUnavailableError';
  }
}

/** Any other driver or server error: treated as permanent so it reaches a dead letter. */
export class MongoFailureError extends Error implements AppErrorLike {
  readonly code = MONGO_ERROR_CODES.failure;
  readonly retryable = false;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MongoFailureError';
  }
}

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
 * Turns a driver error into this library's errors: a unique violation into DuplicateKeyError,
 * a network / selection / timeout failure into MongoUnavailableError (retryable), any other
 * Mongo error into MongoFailureError. Errors already mapped, and non-Mongo errors (a bug in
 * the caller), are returned unchanged.
 */
export function mapMongoError(err: unknown): Error {
  if (err instanceof DuplicateKeyError || err instanceof MongoUnavailableError || err instanceof MongoFailureError) {
    return err;
  }
  if (!(err instanceof MongoError)) {
    return err instanceof Error ? err : new Error(String(err));
  }
  if (isDuplicateKey(err)) return toDuplicateKeyError(err);
  if (isUnavailable(err)) return new MongoUnavailableError(`MongoDB unavailable: ${err.message}`, { cause: err });
  return new MongoFailureError(`MongoDB operation failed: ${err.message}`, { cause: err });
}

/** Runs one database operation and rethrows its failure through mapMongoError. */
export async function withMongoErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw mapMongoError(err);
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

function toDuplicateKeyError(err: MongoError): DuplicateKeyError {
  const fromBulk = err instanceof MongoBulkWriteError ? firstDuplicateWriteError(err) : undefined;
  const source = (fromBulk ?? err) as RawWriteError;
  const message = typeof fromBulk?.errmsg === 'string' ? fromBulk.errmsg : err.message;
  const details: DuplicateKeyDetails = {
    ...parseDuplicateKeyMessage(message),
    keyValue: asRecord(source.keyValue),
    keyPattern: asRecord(source.keyPattern),
  };
  const where = [details.collection && `collection ${details.collection}`, details.index && `index ${details.index}`]
    .filter(Boolean)
    .join(', ');
  return new DuplicateKeyError(`Duplicate key${where ? ` (${where})` : ''}: ${message}`, details, { cause: err });
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
