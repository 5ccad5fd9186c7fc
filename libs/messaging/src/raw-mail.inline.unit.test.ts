import { createHash } from 'node:crypto';
import { captureRawMail, checkInlineLimit, INLINE_EVENT_HEADROOM_BYTES, inlineRawMail } from './raw-mail.inline';
import type { RawMailRef } from './raw-mail.store';
import type { RawMailStreamWriter } from './raw-mail.stream';

const KIB = 1024;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A body arriving in `chunkSize` pieces, as SMTP DATA does. */
function bodyOf(bytes: Uint8Array, chunkSize: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull: (c) => {
      if (offset >= bytes.byteLength) return c.close();
      c.enqueue(bytes.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** Records what reaches the object store (the real one is covered by raw-mail.store.int.test.ts). */
function recordingWriter(): Pick<RawMailStreamWriter, 'putStream'> & { stored: Map<string, Buffer> } {
  const stored = new Map<string, Buffer>();
  return {
    stored,
    putStream: async (name, body): Promise<RawMailRef> => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of body) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      stored.set(name, bytes);
      return { name, sha256: sha(bytes), size: bytes.byteLength };
    },
  };
}

const mail = (size: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => (i * 31) % 251);

describe('captureRawMail', () => {
  test.each([
    { size: 0, kind: 'inline' },
    { size: 4 * KIB, kind: 'inline' },
    { size: 64 * KIB, kind: 'inline' }, // exactly the limit
    { size: 64 * KIB + 1, kind: 'object' },
    { size: 300 * KIB, kind: 'object' },
  ])('Given a limit of 64 KiB, when a mail of $size bytes arrives, then it is captured $kind with its sha256 and size', async ({ size, kind }) => {
    const bytes = mail(size);
    const writer = recordingWriter();

    const captured = await captureRawMail(writer, 'mail-1', bodyOf(bytes, 16 * KIB), 64 * KIB);

    expect(captured.kind).toBe(kind);
    if (captured.kind === 'inline') {
      expect(Buffer.from(captured.bytes).equals(Buffer.from(bytes))).toBe(true);
      expect(captured).toMatchObject({ sha256: sha(bytes), size });
      expect(writer.stored.size).toBe(0);
    } else {
      // The head buffered before the limit was passed comes first, then the rest, nothing lost.
      expect(writer.stored.get('mail-1')?.equals(Buffer.from(bytes))).toBe(true);
      expect(captured.ref).toEqual({ name: 'mail-1', sha256: sha(bytes), size });
    }
  });

  test('Given a limit of 0, when a small mail arrives, then it goes to the object store (the behaviour before inline mail)', async () => {
    const writer = recordingWriter();

    const captured = await captureRawMail(writer, 'mail-0', bodyOf(mail(100), 100), 0);

    expect(captured.kind).toBe('object');
    expect(writer.stored.get('mail-0')?.byteLength).toBe(100);
  });

  test('When the body errors before the limit is reached, then the capture rejects with its error and nothing is stored', async () => {
    const writer = recordingWriter();
    const failing = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(mail(10)),
      pull: (c) => c.error(new Error('client went away')),
    });

    await expect(captureRawMail(writer, 'mail-2', failing, 64 * KIB)).rejects.toThrow('client went away');
    expect(writer.stored.size).toBe(0);
  });

  test('When the body errors after the limit was passed, then the object write sees the error (the store leaves no object)', async () => {
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull: (c) => {
        if (sent >= 3) return c.error(new Error('552 too large'));
        sent += 1;
        c.enqueue(mail(40 * KIB));
      },
    });
    const seen: unknown[] = [];
    const writer: Pick<RawMailStreamWriter, 'putStream'> = {
      putStream: async (_name, body) => {
        try {
          for await (const _chunk of body) void _chunk;
        } catch (err) {
          seen.push(err);
          throw err;
        }
        throw new Error('the body should have errored');
      },
    };

    await expect(captureRawMail(writer, 'mail-3', failing, 64 * KIB)).rejects.toThrow('552 too large');
    expect(seen).toHaveLength(1);
  });

  test('When a mail is far larger than the limit, then what is held before the object write starts stays within the limit plus a chunk', async () => {
    let pulled = 0;
    let pulledWhenWriteStarted = -1;
    const body = new ReadableStream<Uint8Array>({
      pull: (c) => {
        if (pulled >= 64 * 16 * KIB) return c.close();
        pulled += 16 * KIB;
        c.enqueue(new Uint8Array(16 * KIB));
      },
    }, { highWaterMark: 0 });
    const writer: Pick<RawMailStreamWriter, 'putStream'> = {
      putStream: async (name, stream) => {
        pulledWhenWriteStarted = pulled;
        let size = 0;
        for await (const chunk of stream) size += chunk.byteLength;
        return { name, sha256: '', size };
      },
    };

    const captured = await captureRawMail(writer, 'big', body, 64 * KIB);

    expect(captured).toMatchObject({ kind: 'object', ref: { size: 1024 * KIB } });
    expect(pulledWhenWriteStarted).toBeLessThanOrEqual(64 * KIB + 16 * KIB);
  });
});

describe('inlineRawMail', () => {
  test('When the inline bytes match the event\'s sha256, then a copy in a buffer of its own is returned', () => {
    const pool = Buffer.from('xxFrom: a@example.com\r\n\r\nhixx');
    const view = pool.subarray(2, pool.length - 2);

    const bytes = inlineRawMail('m-1', view, sha(view).toUpperCase());

    expect(Buffer.from(bytes).equals(view)).toBe(true);
    // Transferable to a worker without detaching the event's (or the pool's) memory.
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(view.byteLength);
  });

  test('When the inline bytes do not match the event\'s sha256, then RAW_MAIL_DIGEST_MISMATCH, not retryable', () => {
    expect(() => inlineRawMail('m-2', Buffer.from('tampered'), sha(Buffer.from('original'))))
      .toThrow(expect.objectContaining({ code: 'RAW_MAIL_DIGEST_MISMATCH', retryable: false }));
  });
});

describe('checkInlineLimit', () => {
  const MIB = 1024 * KIB;
  const limits = (maxPayload: number, mail = -1, dlq = -1) => ({
    maxPayload, streamMaxMsgSize: [{ stream: 'MAIL', maxMsgSize: mail }, { stream: 'DLQ', maxMsgSize: dlq }],
  });

  test('Given the default server (1 MiB max_payload, unlimited streams), when the limit is 256 KiB, then it passes and events up to nearly 1 MiB fit', () => {
    const maxEvent = checkInlineLimit(256 * KIB, limits(MIB));
    expect(maxEvent).toBeGreaterThan(256 * KIB + INLINE_EVENT_HEADROOM_BYTES / 2);
    expect(maxEvent).toBeLessThan(MIB);
  });

  test.each([
    { what: 'max_payload', l: limits(256 * KIB), bound: 'nats-server max_payload' },
    { what: 'the MAIL stream', l: limits(MIB, 300 * KIB), bound: 'stream MAIL max_msg_size' },
    { what: 'the DLQ stream', l: limits(MIB, -1, 200 * KIB), bound: 'stream DLQ max_msg_size' },
  ])('When 256 KiB plus the headroom does not fit $what, then start-up fails with RAW_INLINE_LIMIT_TOO_LARGE naming it', ({ l, bound }) => {
    expect(() => checkInlineLimit(256 * KIB, l)).toThrow(expect.objectContaining({ code: 'RAW_INLINE_LIMIT_TOO_LARGE', details: expect.objectContaining({ bound }) }));
  });

  test('When the limit is 0 (always the object store), then any server passes', () => {
    expect(() => checkInlineLimit(0, limits(64 * KIB))).not.toThrow();
  });
});
