// Small raw mail travels inside mail.received.v1 instead of the object store (issue 14).
//
// Why: an object-store put costs several JetStream round trips (chunk publish, metadata
// publish with rollup, info look-ups) and a read an info request plus a direct get per chunk;
// on the load test those socket writes were ingest's and the parser's top CPU item and
// nats-server spent 3 ms per invitation. An invitation is a few KiB: one publish carries it.
// Larger mail still goes to the object store (architecture.md, Messaging), streamed, so a
// 30 MiB message is never held in memory: at most the inline limit plus one chunk is.
import { createHash } from 'node:crypto';
import { STREAMS } from '@inviteflow/contracts';
import { AppError } from '@inviteflow/runtime';
import type { NatsHandle } from './nats.connection';
import { MESSAGING_ERROR_CODES } from './messaging.errors';
import { sha256Hex, type RawMailRef } from './raw-mail.store';
import type { RawMailStreamWriter } from './raw-mail.stream';

/**
 * Room an inline event needs beside its bytes: the other MailReceived fields (envelope, auth
 * inputs) and, when it is dead-lettered, the error headers added to the same payload
 * (dead-letter.publisher.ts). The limit is checked against the server's so this always fits.
 */
export const INLINE_EVENT_HEADROOM_BYTES = 64 * 1024;

/** Dead-letter headers (a reason of at most 1 KiB and a few short ones) added to an event's payload. */
const DEAD_LETTER_HEADER_ALLOWANCE_BYTES = 8 * 1024;

/** The raw mail of one delivery, as ingest announces it. */
export type CapturedRawMail =
  | { readonly kind: 'inline'; readonly bytes: Uint8Array; readonly sha256: string; readonly size: number }
  | { readonly kind: 'object'; readonly ref: RawMailRef };

/**
 * Reads `body` up to `inlineMaxBytes`: a message that ends within it is returned in memory
 * (`inline`); one that goes past it is streamed into the object store under `name`, the part
 * read so far first (`object`). 0 streams everything to the object store (the behaviour before
 * inline mail). A body that errors rejects with its error and leaves no object behind
 * (RawMailStreamWriter.putStream).
 */
export async function captureRawMail(
  writer: Pick<RawMailStreamWriter, 'putStream'>, name: string, body: ReadableStream<Uint8Array>, inlineMaxBytes: number,
): Promise<CapturedRawMail> {
  if (inlineMaxBytes <= 0) return { kind: 'object', ref: await writer.putStream(name, body) };
  const reader = body.getReader();
  const head: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) {
      const bytes = concat(head, size);
      return { kind: 'inline', bytes, sha256: sha256Hex(bytes), size };
    }
    head.push(next.value);
    size += next.value.byteLength;
    if (size > inlineMaxBytes) break;
  }
  return { kind: 'object', ref: await writer.putStream(name, replay(head, reader)) };
}

/** The chunks already read, then the rest of `reader`; cancelling it cancels the source. */
function replay(head: Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      const buffered = head.shift();
      if (buffered) return controller.enqueue(buffered);
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** One buffer of its own (not a view into a pool), so the parser may transfer it to a worker. */
function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The inline bytes of a mail.received.v1, checked against the sha256 the event carries like a
 * stored object's (RAW_MAIL_DIGEST_MISMATCH, not retryable: a redelivery carries the same
 * bytes). Copied into a buffer of their own: the decoded field may share memory with the
 * message or Node's buffer pool, and the parser hands the result to a worker thread.
 */
export function inlineRawMail(mailId: string, bytes: Uint8Array, expectedSha256: string): Uint8Array {
  const own = new Uint8Array(bytes);
  const actual = createHash('sha256').update(own).digest('hex');
  if (actual !== expectedSha256.toLowerCase()) {
    throw new AppError({
      code: MESSAGING_ERROR_CODES.rawMailDigestMismatch,
      message: `inline raw mail of ${mailId} has sha256 ${actual}, expected ${expectedSha256}`,
      retryable: false,
    });
  }
  return own;
}

/** The limits an inline mail.received.v1 must stay under (null: the server sets none). */
export interface InlineLimits {
  /** nats-server's max_payload, as the server announced it at connect (INFO). */
  readonly maxPayload: number;
  /** max_msg_size of the streams an inline event is stored in (MAIL, and DLQ when dead-lettered); -1: unlimited. */
  readonly streamMaxMsgSize: readonly { stream: string; maxMsgSize: number }[];
}

/**
 * Start-up check of RAW_INLINE_MAX_BYTES: the largest inline event (the bytes plus
 * INLINE_EVENT_HEADROOM_BYTES) must fit in one NATS message and in every stream it is stored
 * in, or every such mail would fail to publish (451 for ever). Returns the largest event that
 * fits, which ingest also checks per mail (a huge envelope falls back to the object store).
 */
export function checkInlineLimit(inlineMaxBytes: number, limits: InlineLimits): number {
  const bounds = [
    { what: `nats-server max_payload`, bytes: limits.maxPayload },
    ...limits.streamMaxMsgSize.filter((s) => s.maxMsgSize > 0).map((s) => ({ what: `stream ${s.stream} max_msg_size`, bytes: s.maxMsgSize })),
  ];
  const tightest = bounds.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  if (inlineMaxBytes > 0 && inlineMaxBytes + INLINE_EVENT_HEADROOM_BYTES > tightest.bytes) {
    throw new AppError({
      code: MESSAGING_ERROR_CODES.rawInlineLimitTooLarge,
      message: `RAW_INLINE_MAX_BYTES=${inlineMaxBytes} does not fit: ${tightest.what} is ${tightest.bytes} bytes and an inline mail.received.v1 needs `
        + `${INLINE_EVENT_HEADROOM_BYTES} bytes beside the mail; set it to at most ${Math.max(0, tightest.bytes - INLINE_EVENT_HEADROOM_BYTES)} (or 0: always the object store)`,
      retryable: false,
      details: { inlineMaxBytes, bound: tightest.what, boundBytes: tightest.bytes },
    });
  }
  return tightest.bytes - DEAD_LETTER_HEADER_ALLOWANCE_BYTES;
}

/**
 * checkInlineLimit against the connected server: its max_payload (from INFO at connect) and the
 * max_msg_size of the MAIL stream (where mail.received.v1 is kept) and the DLQ stream (where
 * the parser dead-letters it, payload unchanged). Run after the streams are provisioned.
 */
export async function checkInlineLimitOnServer(nats: Pick<NatsHandle, 'nc' | 'jsm'>, inlineMaxBytes: number): Promise<number> {
  const maxPayload = nats.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const streamMaxMsgSize = await Promise.all([STREAMS.mail.name, STREAMS.deadLetter.name].map(async (stream) => ({
    stream, maxMsgSize: (await nats.jsm.streams.info(stream)).config.max_msg_size ?? -1,
  })));
  return checkInlineLimit(inlineMaxBytes, { maxPayload, streamMaxMsgSize });
}

/** nats-server's default max_payload, should a server not announce one. */
const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
