import type { ConsumerInfo, ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { millis } from '@nats-io/nats-core';
import { AppError, withTimeout } from '@inviteflow/runtime';
import type { RunningConsumer, StartConsumerOptions } from './consumer.types';
import { settleFailure, type SettleContext } from './message.settler';
import { MESSAGING_ERROR_CODES } from './messaging.errors';
import { effectiveAckWaitMs, validateRetryPolicy, type RetryPolicy } from './retry.policy';

const DEFAULT_MAX_HANDLER_MS = 5 * 60 * 1000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/** Messages held per handler slot (see startConsumer). */
const PREFETCH_FACTOR = 4;

/**
 * Pulls with `consume()` and runs at most `concurrency` handlers at once. Every message
 * this process holds, running or waiting for a slot, is heartbeated at half the ack
 * deadline: consume() pulls ahead, and a waiting message must not time out and be
 * delivered a second time while we still hold it.
 */
export async function startConsumer(js: JetStreamClient, options: StartConsumerOptions): Promise<RunningConsumer> {
  validateRetryPolicy(options.policy);
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new AppError({ code: MESSAGING_ERROR_CODES.invalidConcurrency, message: `concurrency must be a positive integer, got ${options.concurrency}`, retryable: false });
  }
  const consumer = await js.consumers.get(options.stream, options.durable);
  const info = await consumer.info(true);
  // max_messages bounds what this process holds (running or waiting for a slot, heartbeated
  // meanwhile). The client asks for more whenever a quarter of it has arrived, so at `concurrency`
  // it sent one pull request per 1–2 messages; four times that asks once per `concurrency`
  // messages (issue 14: nats-server's cost grows with the requests), and a slot that frees finds
  // the next message already here instead of waiting for a pull's round trip.
  const messages = await consumer.consume({ max_messages: options.concurrency * PREFETCH_FACTOR });
  const runner = new ConsumerRunner(messages, options, {
    js,
    stream: options.stream,
    consumer: options.durable,
    policy: options.policy,
    maxDeliver: resolveMaxDeliver(info, options),
    log: options.log,
    counters: { processed: 0, failed: 0, retried: 0, deadLettered: 0 },
  }, resolveAckWaitMs(info, options.policy));
  options.log.info({ stream: options.stream, consumer: options.durable, concurrency: options.concurrency }, 'consumer started');
  return {
    counters: runner.settle.counters,
    inFlight: () => runner.inFlightCount(),
    buffered: () => runner.bufferedCount(),
    isRunning: () => runner.isRunning(),
    stop: (timeoutMs = DEFAULT_STOP_TIMEOUT_MS) => runner.stop(timeoutMs),
  };
}

/** The server decides when a delivery is the last one, so its max_deliver wins. */
function resolveMaxDeliver(info: ConsumerInfo, options: StartConsumerOptions): number {
  const serverValue = info.config.max_deliver ?? -1;
  if (serverValue !== options.policy.maxDeliver) {
    options.log.warn(
      { stream: options.stream, consumer: options.durable, serverMaxDeliver: serverValue, policyMaxDeliver: options.policy.maxDeliver },
      'consumer max_deliver differs from the retry policy; run provisionConsumer',
    );
  }
  // Unlimited on the server: we still dead-letter at the policy's bound.
  return serverValue > 0 ? serverValue : options.policy.maxDeliver;
}

/**
 * The shortest ack deadline any delivery of this consumer can get: JetStream uses
 * backoff[n-1] as the deadline of delivery n (and backoff[0] in place of ack_wait).
 */
function resolveAckWaitMs(info: ConsumerInfo, policy: RetryPolicy): number {
  const deadlines = [info.config.ack_wait ?? 0, ...(info.config.backoff ?? [])].filter((ns) => ns > 0).map((ns) => millis(ns));
  return deadlines.length > 0 ? Math.min(...deadlines) : effectiveAckWaitMs(policy);
}

interface Held {
  readonly msg: JsMsg;
  readonly since: number;
}

class ConsumerRunner {
  private readonly waiting: Held[] = [];
  private readonly running = new Map<JsMsg, number>();
  private readonly idleWaiters: Array<() => void> = [];
  private readonly ticker: NodeJS.Timeout;
  private readonly maxHandlerMs: number;
  private stopping = false;
  private loopEnded = false;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly messages: ConsumerMessages,
    private readonly options: StartConsumerOptions,
    readonly settle: SettleContext,
    ackWaitMs: number,
  ) {
    this.maxHandlerMs = options.maxHandlerMs ?? DEFAULT_MAX_HANDLER_MS;
    this.ticker = setInterval(() => this.heartbeat(), Math.max(Math.floor(ackWaitMs / 2), 10));
    this.ticker.unref();
    void this.pullLoop();
    this.watchNotifications().catch((err: unknown) => this.settle.log.debug({ ...this.logFields(), err }, 'consumer status watcher ended'));
  }

  inFlightCount(): number {
    return this.running.size;
  }

  bufferedCount(): number {
    return this.waiting.length;
  }

  isRunning(): boolean {
    return !this.stopping && !this.loopEnded;
  }

  stop(timeoutMs: number): Promise<void> {
    this.stopped ??= this.shutDown(timeoutMs);
    return this.stopped;
  }

  private async pullLoop(): Promise<void> {
    try {
      for await (const msg of this.messages) {
        // Pulled before close() took effect: hand it straight back to another replica.
        if (this.stopping) this.handBack(msg);
        else this.waiting.push({ msg, since: Date.now() });
        this.pump();
      }
      if (!this.stopping) this.settle.log.error(this.logFields(), 'consumer pull loop ended unexpectedly');
    } catch (err) {
      this.settle.log.error({ ...this.logFields(), err }, 'consumer pull loop failed');
    } finally {
      this.loopEnded = true;
    }
  }

  private pump(): void {
    while (!this.stopping && this.running.size < this.options.concurrency) {
      const next = this.waiting.shift();
      if (next === undefined) return;
      this.running.set(next.msg, Date.now());
      void this.process(next.msg)
        .catch((err: unknown) => this.settle.log.error({ ...this.logFields(), err, seq: next.msg.seq }, 'settling a message failed'))
        .finally(() => {
          this.running.delete(next.msg);
          this.pump();
          if (this.running.size === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
        });
    }
  }

  private async process(msg: JsMsg): Promise<void> {
    let failure: { err: unknown } | undefined;
    try {
      await this.options.handle({
        data: msg.data,
        subject: msg.subject,
        headers: msg.headers,
        deliveryCount: msg.info.deliveryCount,
        seq: msg.seq,
        msg,
      });
    } catch (err) {
      failure = { err };
    }
    if (failure === undefined) {
      msg.ack();
      this.settle.counters.processed += 1;
      return;
    }
    this.settle.counters.failed += 1;
    await settleFailure(msg, failure.err, this.settle);
  }

  private heartbeat(): void {
    const now = Date.now();
    for (let i = this.waiting.length - 1; i >= 0; i -= 1) {
      const held = this.waiting[i]!;
      // Slots taken by hung handlers: stop hoarding, let another replica have it.
      if (now - held.since > this.maxHandlerMs) {
        this.waiting.splice(i, 1);
        this.handBack(held.msg);
      } else {
        this.safely(() => held.msg.working());
      }
    }
    for (const [msg, startedAt] of this.running) {
      if (now - startedAt <= this.maxHandlerMs) this.safely(() => msg.working());
    }
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.stopping = true;
    // close() unsubscribes and lets already-buffered messages through the loop, which
    // hands them back; none of them reaches a handler.
    await settledWithin(() => this.messages.close(), timeoutMs);
    this.waiting.splice(0).forEach((held) => this.handBack(held.msg));
    const idle = this.running.size === 0 || (await settledWithin(() => this.whenIdle(), deadline - Date.now()));
    clearInterval(this.ticker);
    if (idle) this.settle.log.info({ ...this.logFields(), counters: this.settle.counters }, 'consumer stopped');
    else {
      this.settle.log.warn(
        { ...this.logFields(), stillRunning: this.running.size, timeoutMs },
        'consumer stop timed out; unfinished messages will be redelivered',
      );
    }
  }

  private whenIdle(): Promise<true> {
    return new Promise((resolve) => this.idleWaiters.push(() => resolve(true)));
  }

  /** Immediate redelivery (to any replica). It counts as a delivery, which is acceptable. */
  private handBack(msg: JsMsg): void {
    this.safely(() => msg.nak());
  }

  private safely(action: () => void): void {
    try {
      action();
    } catch (err) {
      // Only fails when the connection is closed; the server then redelivers on its own.
      this.settle.log.debug({ ...this.logFields(), err }, 'ack protocol message not sent');
    }
  }

  private async watchNotifications(): Promise<void> {
    for await (const note of this.messages.status()) {
      switch (note.type) {
        case 'consumer_deleted':
        case 'consumer_not_found':
        case 'stream_not_found':
          this.settle.log.error({ ...this.logFields(), notification: note }, 'consumer cannot pull');
          break;
        case 'heartbeats_missed':
        case 'exceeded_limits':
        case 'no_responders':
          this.settle.log.warn({ ...this.logFields(), notification: note }, 'consumer pull degraded');
          break;
        default:
          break;
      }
    }
  }

  private logFields(): { stream: string; consumer: string } {
    return { stream: this.settle.stream, consumer: this.settle.consumer };
  }
}

/** True if `work` settled within `ms` (libs/runtime's withTimeout never rejects). */
async function settledWithin(work: () => Promise<unknown>, ms: number): Promise<boolean> {
  return (await withTimeout(work, Math.max(ms, 0))).status !== 'timed-out';
}
