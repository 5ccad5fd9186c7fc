import { JetStreamApiError, type JetStreamClient, type PubAck } from '@nats-io/jetstream';
import { headers as createHeaders, type MsgHdrs } from '@nats-io/nats-core';
import { AppError } from '@inviteflow/runtime';
import { MESSAGING_ERROR_CODES } from './messaging.errors';

export interface PublishOptions {
  /**
   * Business key, sent as `Nats-Msg-Id`: a retried publish inside the stream's
   * duplicate window is stored once (house-style.md §2), e.g. `<Message-ID>:<uid>:<sequence>`.
   */
  readonly msgId: string;
  readonly headers?: MsgHdrs | Readonly<Record<string, string>>;
  /** How long to wait for the stream's PubAck; the client default is 5 s. */
  readonly timeoutMs?: number;
}

/**
 * Publishes to JetStream and waits for the PubAck. `duplicate: true` on the ack means the
 * stream already held this msgId, which for an idempotent producer is success.
 */
export async function publish(
  js: JetStreamClient,
  subject: string,
  payload: Uint8Array,
  options: PublishOptions,
): Promise<PubAck> {
  if (typeof options.msgId !== 'string' || options.msgId.trim() === '') {
    throw new AppError({
      code: MESSAGING_ERROR_CODES.msgIdRequired,
      message: `publish to ${subject} needs a msgId built from a business key`,
      retryable: false,
    });
  }
  try {
    return await js.publish(subject, payload, {
      msgID: options.msgId,
      headers: copyHeaders(options.headers),
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    });
  } catch (err) {
    // The client reports "no stream captures this subject" as "jetstream is not enabled",
    // which sends people looking in the wrong place; say what is likely. A refusal from the
    // stream itself (message too large, wrong expected sequence) will not improve by retrying;
    // a timeout or a missing responder may.
    throw new AppError({
      code: MESSAGING_ERROR_CODES.publishFailed,
      message: `publish to ${subject} failed (is the subject captured by a stream, and is JetStream up?): ${(err as Error).message}`,
      retryable: !(err instanceof JetStreamApiError),
      cause: err,
    });
  }
}

/** A fresh header set, so setting Nats-Msg-Id never mutates the caller's object. */
export function copyHeaders(source: MsgHdrs | Readonly<Record<string, string>> | undefined, skip?: (key: string) => boolean): MsgHdrs {
  const target = createHeaders();
  if (source === undefined) return target;
  if (isMsgHdrs(source)) {
    for (const key of source.keys()) {
      if (skip?.(key)) continue;
      for (const value of source.values(key)) target.append(key, value);
    }
    return target;
  }
  for (const [key, value] of Object.entries(source)) {
    if (!skip?.(key)) target.set(key, value);
  }
  return target;
}

function isMsgHdrs(value: object): value is MsgHdrs {
  return typeof (value as MsgHdrs).keys === 'function' && typeof (value as MsgHdrs).values === 'function';
}
