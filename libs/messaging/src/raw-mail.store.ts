import { createHash } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { Objm, setSha256Backend, StorageType, type ObjectInfo, type ObjectStore } from '@nats-io/obj';
import { RAW_MAIL_BUCKET, RAW_MAIL_MAX_AGE_MS } from '@inviteflow/contracts';
import { AppError } from '@inviteflow/runtime';
import { MESSAGING_ERROR_CODES } from './messaging.errors';
import { objectStoreStreamName, readObjectChunks } from './raw-mail.reader';

/** What an event carries instead of the bytes (architecture.md, Messaging). */
export interface RawMailRef {
  readonly name: string;
  /** Lowercase hex, as `sha256sum` prints it. */
  readonly sha256: string;
  readonly size: number;
}

export interface RawMailStore {
  /** Stores (or replaces) the object; resolves once JetStream has it on disk. */
  put(name: string, bytes: Uint8Array): Promise<RawMailRef>;
  /**
   * Reads the object and checks it is the one the event referenced. Throws
   * RAW_MAIL_NOT_FOUND or RAW_MAIL_DIGEST_MISMATCH, both not retryable, or the retryable
   * RAW_MAIL_READ_INCOMPLETE. The returned bytes own their whole ArrayBuffer (transferable).
   */
  get(name: string, expectedSha256: string): Promise<Uint8Array>;
}

export interface RawMailStoreOptions {
  /** Defaults to the contracts' RAW_MAIL_BUCKET; tests pass their own. */
  readonly bucket?: string;
  readonly replicas?: number;
  /** How long an object (and any chunk) is kept; defaults to the contracts' RAW_MAIL_MAX_AGE_MS. */
  readonly maxAgeMs?: number;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const OBJECT_DIGEST_PREFIX = 'SHA-256=';

/**
 * The reference's sha256 from the digest the object store computed over the bytes it wrote
 * (ADR-20: `SHA-256=` and base64url), so a put hashes the mail once, not twice.
 */
export function objectSha256Hex(info: Pick<ObjectInfo, 'name' | 'digest'>): string {
  if (!info.digest.startsWith(OBJECT_DIGEST_PREFIX)) {
    throw new AppError({
      code: MESSAGING_ERROR_CODES.unexpected, retryable: false,
      message: `the object store described ${info.name} with digest "${info.digest}", not SHA-256`,
    });
  }
  return Buffer.from(info.digest.slice(OBJECT_DIGEST_PREFIX.length), 'base64url').toString('hex');
}

/**
 * Opens the raw-mail bucket, creating it with file storage if missing. The object store
 * checks its own chunk digest on read; our sha256 additionally proves the object under
 * this name is still the one the event was published for. Reads go through
 * raw-mail.reader.ts, not the library's get(), which leaves a consumer behind per read.
 */
export async function openRawMailStore(nc: NatsConnection, options: RawMailStoreOptions = {}): Promise<RawMailStore> {
  const bucketName = options.bucket ?? RAW_MAIL_BUCKET;
  const bucket = await openRawMailBucket(nc, options);
  const jsm = await jetstreamManager(nc);

  return {
    put: async (name, bytes) => {
      const info = await bucket.putBlob({ name }, bytes);
      return { name, sha256: objectSha256Hex(info), size: info.size };
    },
    get: async (name, expectedSha256) => {
      const info = await bucket.info(name);
      if (info === null || info.deleted) {
        throw new AppError({
          code: MESSAGING_ERROR_CODES.rawMailNotFound,
          message: `raw mail ${name} is not in bucket ${bucketName}`,
          retryable: false,
        });
      }
      const bytes = await readObjectChunks(jsm, info);
      const actual = sha256Hex(bytes);
      if (actual !== expectedSha256.toLowerCase()) {
        throw new AppError({
          code: MESSAGING_ERROR_CODES.rawMailDigestMismatch,
          message: `raw mail ${name} in bucket ${bucketName} has sha256 ${actual}, expected ${expectedSha256}`,
          retryable: false,
        });
      }
      return bytes;
    },
  };
}

/**
 * The raw-mail bucket, created with file storage if missing (shared by the reader and the
 * streamed writer), and kept to its retention and replicas.
 */
export async function openRawMailBucket(nc: NatsConnection, options: RawMailStoreOptions = {}): Promise<ObjectStore> {
  // The object store digests every chunk it writes (SHA-256, ADR-20) with a pure-JS hash by
  // default, for browsers: on Node that was a fifth of ingest's CPU when 1 in 10 invitations
  // carried a 600 KiB file (issue 14). 'native' is the library's switch to node:crypto; it is
  // process-wide and must precede any put, which opening the bucket does.
  setSha256Backend('native');
  const name = options.bucket ?? RAW_MAIL_BUCKET;
  const maxAge = nanos(options.maxAgeMs ?? RAW_MAIL_MAX_AGE_MS);
  const replicas = options.replicas ?? 1;
  const bucket = await new Objm(nc).create(name, { storage: StorageType.File, replicas, ttl: maxAge });
  // create() returns an existing bucket as it is, so one made before the retention (or with
  // other replicas) would keep growing: bring its stream to the settings, as provisionStreams
  // does for the streams. Every replica may do it at start; the second update changes nothing.
  const status = await bucket.status();
  if (status.ttl !== maxAge || status.replicas !== replicas) {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.update(objectStoreStreamName(name), { max_age: maxAge, num_replicas: replicas });
  }
  return bucket;
}
