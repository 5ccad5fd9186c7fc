import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { deadLetterSubject } from '@inviteflow/contracts';
import { errorCode, errorMessage, explainClassification } from './error.classifier';
import { publishDeadLetter } from './dead-letter.publisher';
import type { Logger } from './logger.types';
import { MESSAGING_ERROR_CODES } from './messaging.errors';
import { backoffDelayMs, failureAction, type RetryPolicy } from './retry.policy';

export interface ConsumerCounters {
  /** Handler succeeded and the message was acked. */
  processed: number;
  /** Handler threw (counted per delivery, so one message can fail several times). */
  failed: number;
  /** Failures nak'ed for a later redelivery. */
  retried: number;
  /** Messages published to the dead-letter subject and then acked. */
  deadLettered: number;
}

export interface SettleContext {
  readonly js: JetStreamClient;
  readonly stream: string;
  readonly consumer: string;
  readonly policy: RetryPolicy;
  /** The consumer's max_deliver as the server applies it. */
  readonly maxDeliver: number;
  readonly log: Logger;
  readonly counters: ConsumerCounters;
}

/** Acks, naks or dead-letters one failed delivery. Never throws. */
export async function settleFailure(msg: JsMsg, err: unknown, ctx: SettleContext): Promise<void> {
  const deliveryCount = msg.info.deliveryCount;
  const { decision: disposition, reason: classifiedBy } = explainClassification(err);
  const action = failureAction(ctx.policy, disposition, deliveryCount, ctx.maxDeliver);
  const fields = {
    stream: ctx.stream,
    consumer: ctx.consumer,
    subject: msg.subject,
    seq: msg.seq,
    deliveryCount,
    maxDeliver: ctx.maxDeliver,
    disposition,
    classifiedBy,
    code: errorCode(err),
    err,
  };

  if (action.kind === 'nak') {
    msg.nak(action.delayMs);
    ctx.counters.retried += 1;
    ctx.log.warn({ ...fields, delayMs: action.delayMs }, 'message handler failed; redelivery scheduled');
    return;
  }

  try {
    await publishDeadLetter(ctx.js, msg, err, { stream: ctx.stream, consumer: ctx.consumer });
    msg.ack();
    ctx.counters.deadLettered += 1;
    ctx.log.error({ ...fields, deadLetterSubject: deadLetterSubject(msg.subject) }, 'message dead-lettered');
  } catch (publishError) {
    // Nak so a redelivery tries again. On the last delivery JetStream will not redeliver
    // (max_deliver is reached) and emits a MAX_DELIVERIES advisory instead; the log line
    // is then the only record, so it says so.
    const delayMs = backoffDelayMs(ctx.policy, deliveryCount);
    msg.nak(delayMs);
    ctx.log.error(
      {
        ...fields,
        code: MESSAGING_ERROR_CODES.deadLetterPublishFailed,
        originalCode: fields.code,
        cause: errorMessage(publishError),
        willBeRedelivered: deliveryCount < ctx.maxDeliver,
      },
      'dead-letter publish failed; message nak\'ed',
    );
  }
}
