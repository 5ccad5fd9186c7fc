import type { ConsumerSpec } from '@inviteflow/contracts';
import type { RunningConsumer } from './consumer.types';
import { startDurableConsumer } from './durable-consumer';
import { bytes, recordingLogger, text, useTopologyFixture, waitFor } from './int-test.support';
import { publish } from './message.publisher';
import type { RetryPolicy } from './retry.policy';

const POLICY: RetryPolicy = { maxDeliver: 4, backoffMs: [200, 400, 800], maxAckPending: 7 };

let consumer: RunningConsumer | undefined;
const fx = useTopologyFixture(async () => {
  await consumer?.stop(2000);
  consumer = undefined;
});

describe('startDurableConsumer', () => {
  test('When a service starts a durable consumer that does not exist yet, then it is created with the retry policy and handles messages', async () => {
    // Arrange
    const spec: ConsumerSpec = { stream: fx.topology.stream.name, durable: 'worker', filterSubject: fx.topology.subject };
    const seen: string[] = [];

    // Act
    consumer = await startDurableConsumer(fx.conn, {
      consumer: spec, policy: POLICY, concurrency: 2, log: recordingLogger(),
      handle: async ({ data }) => {
        seen.push(text(data));
      },
    });
    await publish(fx.conn.js, fx.topology.subject, bytes('hello'), { msgId: 'h-1' });

    // Assert
    await waitFor('the message to be handled', () => (seen.length > 0 ? seen : undefined));
    expect(seen).toEqual(['hello']);
    const info = await fx.conn.jsm.consumers.info(spec.stream, spec.durable);
    expect(info.config).toMatchObject({ durable_name: 'worker', filter_subject: fx.topology.subject, max_deliver: 4, max_ack_pending: 7 });
    expect(info.config.backoff).toEqual([200, 400, 800].map((ms) => ms * 1_000_000));
  });
});
