// Flow control of the consumer runner: bounded concurrency, heartbeats for held messages,
// handing back what was pulled but not started, and a dead-letter stream that is down.
import { startConsumer } from './consumer.runner';
import type { MessageHandler, RunningConsumer } from './consumer.types';
import {
  bytes,
  deleteStreams,
  recordingLogger,
  sleep,
  text,
  waitFor,
  useConsumerFixture,
} from './int-test.support';
import { publish } from './message.publisher';
import type { RetryPolicy } from './retry.policy';
import { provisionConsumer, provisionStreams } from './stream.provisioner';

// 500 ms is also the ack deadline of a first delivery (JetStream uses backoff[0]); the
// runner heartbeats at half of it, which leaves room for a loaded CI machine's timer lag.
const FAST_POLICY: RetryPolicy = { maxDeliver: 3, backoffMs: [500, 500], maxAckPending: 20 };

const fx = useConsumerFixture(FAST_POLICY);

async function start(handle: MessageHandler, concurrency: number, log = recordingLogger(), policy = FAST_POLICY): Promise<RunningConsumer> {
  const consumer = await startConsumer(fx.conn.js, { stream: fx.spec.stream, durable: fx.spec.durable, policy, concurrency, handle, log });
  fx.running.push(consumer);
  return consumer;
}

async function publishMany(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await publish(fx.conn.js, fx.topology.subject, bytes(`m${i}`), { msgId: `m${i}` });
}

describe('startConsumer flow control', () => {
  test('When handlers run longer than the ack deadline, then no message is redelivered and at most `concurrency` run at once', async () => {
    // Arrange: 4 messages, 2 at a time, 800 ms each; the last two wait past the 500 ms deadline.
    let active = 0;
    let maxActive = 0;
    const deliveries: number[] = [];
    const consumer = await start(async (ctx) => {
      deliveries.push(ctx.deliveryCount);
      active += 1;
      maxActive = Math.max(maxActive, active);
      await sleep(800);
      active -= 1;
    }, 2);

    // Act
    await publishMany(4);
    await waitFor('all four to be processed', () => (consumer.counters.processed === 4 ? true : undefined), 10_000);

    // Assert
    expect(maxActive).toBe(2);
    expect(deliveries).toEqual([1, 1, 1, 1]);
    await fx.conn.nc.flush();
    const info = await fx.conn.jsm.consumers.info(fx.spec.stream, fx.spec.durable);
    expect(info.num_redelivered).toBe(0);
    expect(info.num_ack_pending).toBe(0);
  });

  test('When stop() is called, then messages pulled but not started are handed back at once for another process', async () => {
    // Arrange: one slot, held by a handler that waits; the other messages wait in the buffer.
    // A 5 s ack deadline, so only a hand-back (not a timeout) can bring them back quickly.
    const slowDeadline: RetryPolicy = { ...FAST_POLICY, backoffMs: [5000, 5000] };
    await provisionConsumer(fx.conn.jsm, fx.spec, slowDeadline);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = await start(async () => gate, 1, recordingLogger(), slowDeadline);
    await publishMany(3);
    // All three in this process's hands: a message still on the wire when stop() unsubscribes
    // is not seen by the client and comes back only at the ack deadline (see docs/messaging.md).
    await waitFor('m0 fx.running, m1 and m2 buffered', () => (first.inFlight() === 1 && first.buffered() === 2 ? true : undefined));

    // Act
    const stopping = first.stop(5000);
    release();
    await stopping;
    const received: string[] = [];
    const next = await start(async (ctx) => {
      received.push(text(ctx.data));
    }, 2, recordingLogger(), slowDeadline);

    // Assert: m0 was finished by the first process; m1 and m2 arrive well before the 5 s deadline.
    await waitFor('the handed-back messages', () => (next.counters.processed === 2 ? true : undefined), 2000);
    expect(received.sort()).toEqual(['m1', 'm2']);
    expect(first.counters.processed).toBe(1);
  });

  test('When a handler outlives the stop timeout, then stop() returns at the bound and logs it', async () => {
    // Arrange
    const log = recordingLogger();
    const consumer = await start(() => new Promise<void>(() => undefined), 1, log);
    await publishMany(1);
    await waitFor('the handler to start', () => (consumer.inFlight() === 1 ? true : undefined));

    // Act: the handler never settles, so stop() returning at all shows it gave up at its bound
    await consumer.stop(300);

    // Assert
    expect(consumer.inFlight()).toBe(1);
    expect(log.entries.some((e) => e.level === 'warn' && e.msg?.includes('stop timed out'))).toBe(true);
  });

  test('When the dead-letter stream is down, then the message is nak\'ed, not acked, and dead-lettered once the stream is back', async () => {
    // Arrange
    await deleteStreams(fx.conn.jsm, [fx.topology.deadLetter.name]);
    const log = recordingLogger();
    const consumer = await start(async () => {
      throw Object.assign(new Error('no VEVENT'), { code: 'ICS_MALFORMED', retryable: false });
    }, 1, log);

    // Act
    await publishMany(1);
    await waitFor('the failed dead-letter publish', () =>
      log.entries.find((e) => (e.obj as { code?: string }).code === 'DEAD_LETTER_PUBLISH_FAILED'), 10_000);
    await provisionStreams(fx.conn.jsm, [fx.topology.deadLetter]);
    await waitFor('the dead letter', () => (consumer.counters.deadLettered === 1 ? true : undefined), 10_000);

    // Assert
    const dlq = await fx.conn.jsm.streams.info(fx.topology.deadLetter.name);
    expect(dlq.state.messages).toBe(1);
    await fx.conn.nc.flush();
    const info = await fx.conn.jsm.consumers.info(fx.spec.stream, fx.spec.durable);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });
});
