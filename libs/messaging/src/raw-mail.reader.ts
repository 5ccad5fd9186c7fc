// Reads one object-store object's chunks without creating a consumer (issue 8, finding 1).
//
// Why not `ObjectStore.get()`/`getBlob()` from @nats-io/obj 3.4: each call creates an *ordered
// push consumer* on OBJ_<bucket> (`inactive_threshold` 5 min) and, when the read is done, only
// stops its iterator and unsubscribes. Nothing deletes the consumer on the server, so it stays
// until the 5-minute inactivity reaper removes it. Fully draining or cancelling the returned
// ReadableStream does not help (getBlob already drains it); the leak is in the library. At a
// mail per read that hits nats-server's 1 000-consumers-per-stream default after 1 000 mails.
//
// Instead each chunk is fetched with a direct get (`$JS.API.DIRECT.GET.<stream>`, `seq` +
// `next_by_subj`): a plain request/reply that keeps no state on the server, so there is
// nothing to leak even when the process dies mid-read. Object-store buckets are created with
// `allow_direct: true`. The layout used here is the object store's wire spec (NATS ADR-20),
// shared by every client: stream `OBJ_<bucket>`, chunks on `$O.<bucket>.C.<nuid>` in order, the
// metadata (read through the library's `info()`) naming the nuid, the chunk count and the size.
import type { JetStreamManager } from '@nats-io/jetstream';
import type { ObjectInfo } from '@nats-io/obj';
import { AppError } from '@inviteflow/runtime';
import { MESSAGING_ERROR_CODES } from './messaging.errors';

const OBJECT_STORE_STREAM_PREFIX = 'OBJ_';

/** ADR-20: the stream behind bucket `b` is `OBJ_b`. */
export function objectStoreStreamName(bucket: string): string {
  return `${OBJECT_STORE_STREAM_PREFIX}${bucket}`;
}

export function isObjectStoreStream(stream: string): boolean {
  return stream.startsWith(OBJECT_STORE_STREAM_PREFIX);
}

/** ADR-20: one object's chunks, in order, on `$O.<bucket>.C.<nuid>`. */
function chunkSubject(bucket: string, nuid: string): string {
  return `$O.${bucket}.C.${nuid}`;
}

/**
 * The object's bytes in one buffer of exactly `info.size` bytes (no concatenation copies; the
 * buffer is owned by the caller and may be transferred to a worker). A chunk that is missing or
 * a size that does not add up means the object changed or a replica lags behind: retryable, and
 * the next attempt reads the metadata afresh.
 */
export async function readObjectChunks(jsm: JetStreamManager, info: ObjectInfo): Promise<Uint8Array> {
  const stream = objectStoreStreamName(info.bucket);
  const subject = chunkSubject(info.bucket, info.nuid);
  const bytes = new Uint8Array(info.size);
  let offset = 0;
  let nextSeq = 1;
  for (let chunk = 0; chunk < info.chunks; chunk++) {
    const message = await jsm.direct.getMessage(stream, { seq: nextSeq, next_by_subj: subject });
    if (message === null) throw incomplete(info, `chunk ${chunk + 1} of ${info.chunks} is missing`);
    if (offset + message.data.byteLength > bytes.byteLength) throw incomplete(info, `chunks hold more than its ${info.size} bytes`);
    bytes.set(message.data, offset);
    offset += message.data.byteLength;
    nextSeq = message.seq + 1;
  }
  if (offset !== info.size) throw incomplete(info, `chunks hold ${offset} of its ${info.size} bytes`);
  return bytes;
}

function incomplete(info: ObjectInfo, what: string): AppError {
  return new AppError({
    code: MESSAGING_ERROR_CODES.rawMailReadIncomplete,
    message: `object ${info.name} in bucket ${info.bucket}: ${what}`,
    retryable: true,
    details: { bucket: info.bucket, name: info.name, chunks: info.chunks, size: info.size },
  });
}
