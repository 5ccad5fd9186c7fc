import type { ConsumerSpec } from '@inviteflow/contracts';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { startConsumer } from './consumer.runner';
import type { MessageHandler, RunningConsumer } from './consumer.types';
import type { Logger } from './logger.types';
import type { RetryPolicy } from './retry.policy';
import { provisionConsumer } from './stream.provisioner';
import { noteOwnedConsumer } from './backlog.metrics';

export interface StartDurableConsumerOptions {
  /** One of the contracts' CONSUMERS: stream, durable name and filter subject. */
  readonly consumer: ConsumerSpec;
  readonly policy: RetryPolicy;
  /** Handlers running at once in this process. */
  readonly concurrency: number;
  readonly log: Logger;
  readonly handle: MessageHandler;
  /** See StartConsumerOptions.maxHandlerMs (default 5 minutes). */
  readonly maxHandlerMs?: number;
}

/**
 * What every service did in two steps: provision the durable consumer with the retry policy
 * (max_deliver, backoff, ack_wait), then start pulling from it with bounded concurrency. One
 * call, so the policy the server holds and the one the runner settles by are always the same.
 * `nats` is a NatsHandle (or anything with its `js` and `jsm`).
 */
export async function startDurableConsumer(
  nats: { readonly js: JetStreamClient; readonly jsm: JetStreamManager },
  options: StartDurableConsumerOptions,
): Promise<RunningConsumer> {
  await provisionConsumer(nats.jsm, options.consumer, options.policy);
  // Its backlog gauges (backlog.metrics.ts) are read at scrape time from here on.
  noteOwnedConsumer(nats.jsm, options.consumer);
  return startConsumer(nats.js, {
    stream: options.consumer.stream,
    durable: options.consumer.durable,
    policy: options.policy,
    concurrency: options.concurrency,
    log: options.log,
    handle: options.handle,
    maxHandlerMs: options.maxHandlerMs,
  });
}
