import type { JetStreamClient, JsMsg, PubAck } from '@nats-io/jetstream';
import { DEAD_LETTER_HEADERS, deadLetterSubject } from '@inviteflow/contracts';
import { errorCode, errorMessage, isRetryableError } from './error.classifier';
import { copyHeaders, publish } from './message.publisher';

export interface DeadLetterContext {
  readonly stream: string;
  readonly consumer: string;
}

/** Header values are one line on the wire; a stack trace in a reason must not break framing. */
const MAX_REASON_LENGTH = 1024;

/** Attempts and pauses for the dead-letter publish itself; see publishDeadLetter. */
const DEAD_LETTER_RETRY_DELAYS_MS = [0, 250, 1000] as const;

/**
 * The dead-letter msgId: one dead letter per original stream message, even when the
 * original is redelivered because our ack after the publish was lost.
 */
export function deadLetterMsgId(stream: string, streamSeq: number): string {
  return `dlq:${stream}:${streamSeq}`;
}

export function sanitizeHeaderValue(value: string): string {
  const oneLine = value.replace(/[\r\n]+/g, ' ').trim();
  return oneLine.length > MAX_REASON_LENGTH ? `${oneLine.slice(0, MAX_REASON_LENGTH - 1)}…` : oneLine;
}

/**
 * Publishes the original payload and headers to `dlq.<original-subject>` with the reason
 * headers. Server-interpreted `Nats-*` headers are dropped: an original Nats-Msg-Id would
 * make the dead letter a duplicate of nothing, and expectations would refuse it.
 *
 * The publish is retried a few times in-process: on the last delivery a nak would not bring
 * the message back (max_deliver is reached), so giving up here can lose the message.
 */
export async function publishDeadLetter(
  js: JetStreamClient,
  msg: JsMsg,
  err: unknown,
  context: DeadLetterContext,
): Promise<PubAck> {
  const headers = copyHeaders(msg.headers, (key) => key.toLowerCase().startsWith('nats-'));
  headers.set(DEAD_LETTER_HEADERS.reason, sanitizeHeaderValue(errorMessage(err)) || 'no message');
  headers.set(DEAD_LETTER_HEADERS.code, errorCode(err));
  headers.set(DEAD_LETTER_HEADERS.originalSubject, msg.subject);
  headers.set(DEAD_LETTER_HEADERS.deliveries, String(msg.info.deliveryCount));
  headers.set(DEAD_LETTER_HEADERS.stream, context.stream);
  headers.set(DEAD_LETTER_HEADERS.consumer, context.consumer);
  const msgId = deadLetterMsgId(context.stream, msg.info.streamSequence);

  let lastError: unknown;
  for (const delayMs of DEAD_LETTER_RETRY_DELAYS_MS) {
    if (delayMs > 0) await sleep(delayMs);
    try {
      return await publish(js, deadLetterSubject(msg.subject), msg.data, { msgId, headers });
    } catch (publishError) {
      lastError = publishError;
      if (isRetryableError(publishError) && !publishError.retryable) break;
    }
  }
  throw lastError;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
