import type { JsMsg } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/nats-core';
import type { Logger } from './logger.types';
import type { ConsumerCounters } from './message.settler';
import type { RetryPolicy } from './retry.policy';

export interface MessageContext {
  readonly data: Uint8Array;
  readonly subject: string;
  readonly headers: MsgHdrs | undefined;
  /** 1 on the first delivery. */
  readonly deliveryCount: number;
  /** Stream sequence: stable across redeliveries, unlike the consumer sequence. */
  readonly seq: number;
  /** Escape hatch; the runner acks, naks and heartbeats, so handlers should not. */
  readonly msg: JsMsg;
}

/** Throw to fail the delivery; an error with `retryable: false` goes straight to the DLQ. */
export type MessageHandler = (ctx: MessageContext) => Promise<void>;

export interface StartConsumerOptions {
  readonly stream: string;
  readonly durable: string;
  readonly policy: RetryPolicy;
  /** Handlers running at once in this process. */
  readonly concurrency: number;
  readonly handle: MessageHandler;
  readonly log: Logger;
  /**
   * After this long a handler's message is no longer kept alive with `working()`, so
   * JetStream redelivers it elsewhere; a hung handler must not hold a message for ever.
   * Default 5 minutes.
   */
  readonly maxHandlerMs?: number;
}

export interface RunningConsumer {
  /** Live counters, for metrics. */
  readonly counters: Readonly<ConsumerCounters>;
  /** Handlers running now. */
  inFlight(): number;
  /** Messages pulled and waiting for a free handler slot. */
  buffered(): number;
  /** False once stop() was called or the pull loop ended on its own (readiness). */
  isRunning(): boolean;
  /**
   * Stops pulling, hands back (naks) messages not yet started, waits for running handlers
   * (at most `timeoutMs`, default 10 s). A message already on the wire when pulling stops
   * never reaches us and returns at its ack deadline instead. A bound function, so it can go
   * into a shutdown list as is.
   */
  stop(timeoutMs?: number): Promise<void>;
}
