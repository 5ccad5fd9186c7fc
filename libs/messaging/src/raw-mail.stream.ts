import type { NatsConnection } from '@nats-io/nats-core';
import { objectSha256Hex, openRawMailBucket, type RawMailRef, type RawMailStoreOptions } from './raw-mail.store';

/** Writes raw mail into the object store while it is still arriving (ingest's SMTP DATA). */
export interface RawMailStreamWriter {
  /**
   * Streams `body` into the bucket chunk by chunk (the object store's own chunking, 128 KiB),
   * the store computing sha256 and size on the way, so memory stays at a few chunks whatever the size.
   * Resolves once JetStream has acknowledged every chunk and the object's metadata. If `body`
   * errors (or a publish fails), the object store purges the chunks already written and no
   * object is created under `name`; the promise rejects with the stream's error.
   */
  putStream(name: string, body: ReadableStream<Uint8Array>): Promise<RawMailRef>;
}

/** Opens (creating if missing, like openRawMailStore) the raw-mail bucket for streamed writes. */
export async function openRawMailStreamWriter(nc: NatsConnection, options: RawMailStoreOptions = {}): Promise<RawMailStreamWriter> {
  const bucket = await openRawMailBucket(nc, options);
  return {
    putStream: async (name, body) => {
      // The store digests and counts what it writes: its ObjectInfo is the reference.
      const info = await bucket.put({ name }, body);
      return { name, sha256: objectSha256Hex(info), size: info.size };
    },
  };
}
