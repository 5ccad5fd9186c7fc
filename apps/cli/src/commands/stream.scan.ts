import { DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/nats-core';

/** One stored stream message, as the scans hand it on. */
export interface ScannedMessage {
  readonly stream: string;
  readonly seq: number;
  readonly subject: string;
  /** When the stream stored it (the server's clock). */
  readonly time: Date;
  readonly headers: MsgHdrs | undefined;
  readonly data: Uint8Array;
}

export interface ScanRequest {
  readonly stream: string;
  readonly subjects: readonly string[];
  /** First message stored at or after this instant; the whole stream when omitted. */
  readonly from?: Date;
  /** Read at most this many messages: the bound on what one scan costs. */
  readonly limit: number;
  /** Stop before the end once this says so (e.g. the one message sought was found). */
  readonly done?: () => boolean;
}

/** What a scan cost and whether it saw everything it was asked to look at. */
export interface ScanStats {
  readonly stream: string;
  readonly subjects: readonly string[];
  readonly from: string | null;
  /** Messages matching the filter from `from` to the end when the scan started. */
  readonly matching: number;
  readonly scanned: number;
  /** Stopped at `limit` (or stalled) before the end: a match may have been missed. */
  readonly truncated: boolean;
  /** The stream does not exist (nothing was ever published to it). */
  readonly missingStream: boolean;
}

/** No message for this long while more were expected: they expired mid-scan; stop. */
const STALL_MS = 5000;
const BATCH = 500;

/**
 * Reads a stream forward through an ordered consumer (in memory, no acks, deleted after;
 * the server drops it by itself 30 s after an interrupted scan). JetStream has no secondary
 * index, so finding messages by a payload field costs one pass over the filter subject from
 * `from`; `limit` bounds that pass and `truncated` says when it was not enough.
 */
export async function scanStream(js: JetStreamClient, req: ScanRequest, visit: (m: ScannedMessage) => void): Promise<ScanStats> {
  const base = { stream: req.stream, subjects: req.subjects, from: req.from?.toISOString() ?? null };
  let consumer;
  try {
    consumer = await js.consumers.get(req.stream, {
      filter_subjects: [...req.subjects],
      inactive_threshold: 30_000,
      ...(req.from ? { opt_start_time: req.from.toISOString() } : { deliver_policy: DeliverPolicy.All }),
    });
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) {
      return { ...base, matching: 0, scanned: 0, truncated: false, missingStream: true };
    }
    throw err;
  }
  const matching = (await consumer.info(true)).num_pending;
  const target = Math.min(matching, req.limit);
  let scanned = 0;
  let stalled = false;
  if (target > 0 && !req.done?.()) {
    const messages = await consumer.consume({ max_messages: Math.min(target, BATCH) });
    let timer = setTimeout(() => ((stalled = true), void messages.close()), STALL_MS);
    try {
      for await (const m of messages) {
        scanned++;
        visit(toScanned(req.stream, m));
        if (scanned >= target || m.info.pending === 0 || req.done?.()) break;
        clearTimeout(timer);
        timer = setTimeout(() => ((stalled = true), void messages.close()), STALL_MS);
      }
    } finally {
      clearTimeout(timer);
      await messages.close();
    }
  }
  await consumer.delete().catch(() => undefined);
  return { ...base, matching, scanned, truncated: stalled || (scanned < matching && scanned >= req.limit), missingStream: false };
}

function toScanned(stream: string, m: JsMsg): ScannedMessage {
  return { stream, seq: m.seq, subject: m.subject, time: m.time, headers: m.headers, data: m.data };
}
