import type { ConsumerSpec } from '@inviteflow/contracts';
import type { RunningConsumer } from './consumer.types';
import { startDurableConsumer } from './durable-consumer';
import { bytes, connectForTest, deleteStreams, provisionTopology, recordingLogger, testTopology, text, waitFor, type TestTopology } from './int-test.support';
import { publish } from './message.publisher';
import type { NatsHandle } from './nats.connection';
import type { RetryPolicy } from './retry.policy';

const POLICY: RetryPolicy = { maxDeliver: 4, backoffMs: [200, 400, 800], maxAckPending: 7 };

let conn: NatsHandle;
let topology: TestTopology;
let consumer: RunningConsumer | undefined;

beforeAll(async () => {
  conn = await connectForTest();
});

afterAll(async () => {
  await conn.drain();
});

beforeEach(async () => {
  topology = testTopology();
  await provisionTopology(conn.jsm, topology);
});

afterEach(async () => {
  await consumer?.stop(2000);
  consumer = undefined;
  await deleteStreams(conn.jsm, [topology.stream.name, topology.deadLetter.name]);
});

describe('startDurableConsumer', () => {
  test('When a service starts a durable consumer that does not exist yet, then it is created with the retry policy and handles messages', async () => {
    // Arrange
    const spec: ConsumerSpec = { stream: topology.stream.name, durable: 'worker', filterSubject: topology.subject };
    const seen: string[] = [];

    // Act
    consumer = await startDurableConsumer(conn, {
      consumer: spec, policy: POLICY, concurrency: 2, log: recordingLogger(),
      handle: async ({ data }) => {
        seen.push(text(data));
      },
    });
    await publish(conn.js, topology.subject, bytes('hello'), { msgId: 'h-1' });

    // Assert
    await waitFor('the message to be handled', () => (seen.length > 0 ? seen : undefined));
    expect(seen).toEqual(['hello']);
    const info = await conn.jsm.consumers.info(spec.stream, spec.durable);
    expect(info.config).toMatchObject({ durable_name: 'worker', filter_subject: topology.subject, max_deliver: 4, max_ack_pending: 7 });
    expect(info.config.backoff).toEqual([200, 400, 800].map((ms) => ms * 1_000_000));
  });
});
