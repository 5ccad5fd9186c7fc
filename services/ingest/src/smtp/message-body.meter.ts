import type { Readable } from 'node:stream';
import { HeaderBlock } from '../domain/message-id';
import { AppError } from '@inviteflow/runtime';
import { INGEST_ERROR_CODES, messageTooLarge } from './smtp.refusal';

/** How DATA ended, once the client sent its end-of-data dot (or the connection went away). */
export interface BodyEnd {
  readonly bytes: number;
  readonly exceeded: boolean;
  /** Set when the connection closed before the end of DATA. */
  readonly error?: Error;
}

export interface MeteredBody {
  /** The message as it arrives, for the object store; errors once the message is over the limit. */
  readonly body: ReadableStream<Uint8Array>;
  /** From the header block, known after its first bytes (at the latest when DATA ends). */
  readonly messageId: Promise<string>;
  /** Always resolves, when DATA ended: SMTP replies only after that (RFC 5321 §4.1.1.4). */
  readonly ended: Promise<BodyEnd>;
  bytes(): number;
  /** Stops passing data on (the body errors with `reason`) and discards the rest of DATA. */
  fail(reason: unknown): void;
}

/**
 * What the body stream may buffer before the socket is paused: the object store takes 128 KiB
 * chunks, so two of them keep it busy while memory stays flat whatever the message size.
 */
const BODY_HIGH_WATER_BYTES = 256 * 1024;

/**
 * Wraps smtp-server's DATA stream. Bytes flow to `body` with backpressure (a full body pauses
 * the stream, which pauses the socket) until `limit` is passed; from then on they are counted
 * and dropped, so a 1 GiB message costs no more memory than a small one. smtp-server's own
 * `size` option only flags an oversized stream at the end.
 */
export function meterBody(source: Readable, limit: number): MeteredBody {
  const header = new HeaderBlock();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let bytes = 0;
  let forwarding = true;
  let ended = false;
  let resolveId!: (id: string) => void;
  let resolveEnd!: (end: BodyEnd) => void;
  const messageId = new Promise<string>((resolve) => (resolveId = resolve));
  const end = new Promise<BodyEnd>((resolve) => (resolveEnd = resolve));

  const stopForwarding = (reason: unknown): void => {
    if (!forwarding) return;
    forwarding = false;
    controller.error(reason);
    source.resume();
  };
  const finish = (error?: Error): void => {
    if (ended) return;
    ended = true;
    if (error) stopForwarding(error);
    else if (forwarding) controller.close();
    forwarding = false;
    resolveId(header.messageId());
    resolveEnd({ bytes, exceeded: bytes > limit, ...(error ? { error } : {}) });
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start: (c) => void (controller = c),
      pull: () => void source.resume(),
      cancel: () => {
        forwarding = false;
        source.resume();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: BODY_HIGH_WATER_BYTES }),
  );
  source.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (!forwarding) return;
    if (bytes > limit) return stopForwarding(messageTooLarge(limit));
    if (!header.complete && header.add(chunk)) resolveId(header.messageId());
    controller.enqueue(chunk);
    if ((controller.desiredSize ?? 0) <= 0) source.pause();
  });
  source.once('end', () => finish());
  source.once('error', (err: Error) => finish(err));
  // Destroyed without an error (smtp-server does that when nobody listens for one). Every
  // stream closes after its end too: the error is only made when it means something.
  source.once('close', () => {
    if (!ended) finish(disconnected());
  });

  return { body, messageId, ended: end, bytes: () => bytes, fail: stopForwarding };
}

function disconnected(): AppError {
  return new AppError({ code: INGEST_ERROR_CODES.clientDisconnected, message: 'the client went away before the end of DATA', retryable: true });
}
