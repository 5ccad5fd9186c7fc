export { connectMongo } from './mongo.connection';
export type { MongoConnection, MongoConnectionConfig } from './mongo.connection';
export { ensureIndexes, validateIndexSpecs } from './mongo.indexes';
export type { EnsureIndexesResult, IndexSpec } from './mongo.indexes';
export {
  DuplicateKeyError,
  MONGO_ERROR_CODES,
  MongoFailureError,
  MongoUnavailableError,
  mapMongoError,
  parseDuplicateKeyMessage,
  withMongoErrors,
} from './mongo.errors';
export type { AppErrorLike, DuplicateKeyDetails, MongoErrorCode } from './mongo.errors';
export { updateIfVersion } from './version-guard.update';
export type { VersionedDocument, VersionedUpdateOutcome } from './version-guard.update';
export { createRoundTripCounter } from './round-trip.counter';
export type { Measured, RoundTripCounter, RoundTripTally } from './round-trip.counter';
export type { LoggerLike } from './logger.port';
