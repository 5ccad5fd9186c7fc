import { DEAD_LETTER_HEADERS } from '@inviteflow/contracts';
import type { StoredMsg } from '@nats-io/jetstream';
import { startConsumer } from './consumer.runner';
import type { MessageContext, RunningConsumer } from './consumer.types';
import {
  bytes,
  recordingLogger,
  sleep,
  text,
  waitFor,
  useConsumerFixture,
} from './int-test.support';
import { publish } from './message.publisher';
import type { RetryPolicy } from './retry.policy';

// Short delays keep the test fast; 250 ms (also the first ack deadline) survives timer lag.
const FAST_POLICY: RetryPolicy = { maxDeliver: 3, backoffMs: [250, 250], maxAckPending: 20 };

const fx = useConsumerFixture(FAST_POLICY);

async function start(handle: (ctx: MessageContext) => Promise<void>, log = recordingLogger()): Promise<RunningConsumer> {
  const consumer = await startConsumer(fx.conn.js, { stream: fx.spec.stream, durable: fx.spec.durable, policy: FAST_POLICY, concurrency: 2, handle, log });
  fx.running.push(consumer);
  return consumer;
}

function retryable(message: string): Error {
  return Object.assign(new Error(message), { code: 'DOWNSTREAM_UNAVAILABLE', retryable: true });
}

async function consumerInfo() {
  await fx.conn.nc.flush(); // acks are fire-and-forget; make sure the server has seen them
  return fx.conn.jsm.consumers.info(fx.spec.stream, fx.spec.durable);
}

async function onlyDeadLetter(): Promise<StoredMsg> {
  await waitFor('a dead letter', async () => ((await fx.conn.jsm.streams.info(fx.topology.deadLetter.name)).state.messages > 0 ? true : undefined));
  const info = await fx.conn.jsm.streams.info(fx.topology.deadLetter.name);
  expect(info.state.messages).toBe(1);
  const stored = await fx.conn.jsm.streams.getMessage(fx.topology.deadLetter.name, { seq: info.state.first_seq });
  return stored!;
}

describe('startConsumer', () => {
  test('When a handler fails once, then the message is redelivered after the backoff and then succeeds', async () => {
    // Arrange
    const attempts: Array<{ deliveryCount: number; at: number; body: string }> = [];
    const consumer = await start(async (ctx) => {
      attempts.push({ deliveryCount: ctx.deliveryCount, at: Date.now(), body: text(ctx.data) });
      if (ctx.deliveryCount === 1) throw retryable('mongo blip');
    });

    // Act
    await publish(fx.conn.js, fx.topology.subject, bytes('invite-1'), { msgId: 'invite-1' });
    await waitFor('the second attempt to be acked', () => (consumer.counters.processed === 1 ? true : undefined));

    // Assert
    expect(attempts.map((a) => a.deliveryCount)).toEqual([1, 2]);
    expect(attempts.every((a) => a.body === 'invite-1')).toBe(true);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(200); // the 250 ms nak delay
    expect(consumer.counters).toEqual({ processed: 1, failed: 1, retried: 1, deadLettered: 0 });
    const info = await consumerInfo();
    expect(info.num_pending).toBe(0);
    expect(info.num_ack_pending).toBe(0);
  });

  test('When a handler keeps failing until max_deliver, then the message is dead-lettered with the reason and the original is acked', async () => {
    // Arrange
    const log = recordingLogger();
    const consumer = await start(async () => {
      throw retryable('identity service unavailable');
    }, log);
    const headers = { 'X-Trace-Id': 'trace-7' };

    // Act
    const ack = await publish(fx.conn.js, fx.topology.subject, bytes('poison'), { msgId: 'poison-1', headers });
    const dead = await onlyDeadLetter();

    // Assert
    expect(dead.subject).toBe(`dlq.${fx.topology.subject}`);
    expect(text(dead.data)).toBe('poison');
    expect(dead.header.get(DEAD_LETTER_HEADERS.reason)).toBe('identity service unavailable');
    expect(dead.header.get(DEAD_LETTER_HEADERS.code)).toBe('DOWNSTREAM_UNAVAILABLE');
    expect(dead.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('3');
    expect(dead.header.get(DEAD_LETTER_HEADERS.stream)).toBe(fx.spec.stream);
    expect(dead.header.get(DEAD_LETTER_HEADERS.consumer)).toBe(fx.spec.durable);
    expect(dead.header.get(DEAD_LETTER_HEADERS.originalSubject)).toBe(fx.topology.subject);
    expect(dead.header.get('X-Trace-Id')).toBe('trace-7');
    expect(dead.header.get('Nats-Msg-Id')).toBe(`dlq:${fx.spec.stream}:${ack.seq}`);
    await waitFor('the original to be acked', async () => ((await consumerInfo()).num_ack_pending === 0 ? true : undefined));
    const info = await consumerInfo();
    expect(info.num_pending).toBe(0);
    expect(info.num_ack_pending).toBe(0);
    expect(consumer.counters).toMatchObject({ failed: 3, retried: 2, deadLettered: 1, processed: 0 });
    expect(log.entries.some((e) => e.level === 'error' && e.msg === 'message dead-lettered')).toBe(true);
  });

  test('When a handler rejects a message as not retryable, then it is dead-lettered on the first delivery', async () => {
    // Arrange
    const deliveries: number[] = [];
    await start(async (ctx) => {
      deliveries.push(ctx.deliveryCount);
      throw Object.assign(new Error('ICS has no VEVENT'), { code: 'ICS_MALFORMED', retryable: false });
    });

    // Act
    await publish(fx.conn.js, fx.topology.subject, bytes('bad ics'), { msgId: 'bad-1' });
    const dead = await onlyDeadLetter();

    // Assert
    expect(deliveries).toEqual([1]);
    expect(dead.header.get(DEAD_LETTER_HEADERS.code)).toBe('ICS_MALFORMED');
    expect(dead.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('1');
  });

  test('When stop() is called with a message in flight, then it waits for the handler to finish and ack, and no handler gets a message that arrives meanwhile', async () => {
    // Arrange
    const handled: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finishedAt = 0;
    const consumer = await start(async (ctx) => {
      handled.push(text(ctx.data));
      if (text(ctx.data) === 'slow') {
        await gate;
        finishedAt = Date.now();
      }
    });
    const first = await publish(fx.conn.js, fx.topology.subject, bytes('slow'), { msgId: 'slow' });
    await waitFor('the slow handler to start', () => (consumer.inFlight() === 1 ? true : undefined));

    // Act
    const stopping = consumer.stop(5000);
    await publish(fx.conn.js, fx.topology.subject, bytes('after-stop'), { msgId: 'after-stop' });
    await sleep(200);
    const stoppedEarly = await Promise.race([stopping.then(() => true), sleep(0).then(() => false)]);
    release();
    await stopping;
    const stoppedAt = Date.now();

    // Assert
    expect(stoppedEarly).toBe(false);
    expect(finishedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeGreaterThanOrEqual(finishedAt);
    expect(handled).toEqual(['slow']);
    expect(consumer.isRunning()).toBe(false);
    const info = await consumerInfo();
    expect(info.ack_floor.stream_seq).toBe(first.seq);
    // 'after-stop' is still the server's to deliver: either never pulled (pending), or pulled by
    // the pull request that was open when stop() began and handed straight back (a NAK, awaiting
    // redelivery). Which of the two depends on how quickly close() reaches the server.
    expect(info.num_pending + info.num_ack_pending).toBe(1);

    // And the message published after stop is not lost: the next process gets it.
    const next: string[] = [];
    await start(async (ctx) => {
      next.push(text(ctx.data));
    });
    await waitFor('the next process to receive it', () => (next.length > 0 ? true : undefined));
    expect(next).toEqual(['after-stop']);
  });
});
