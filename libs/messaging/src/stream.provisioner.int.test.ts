import { StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { ConsumerSpec } from '@inviteflow/contracts';
import { connectForTest, deleteStreams, testTopology, type TestTopology } from './int-test.support';
import type { NatsHandle } from './nats.connection';
import type { RetryPolicy } from './retry.policy';
import { provisionConsumer, provisionStreams } from './stream.provisioner';

const POLICY: RetryPolicy = { maxDeliver: 4, backoffMs: [100, 500, 2000], maxAckPending: 32 };

let conn: NatsHandle;
let topology: TestTopology;
let spec: ConsumerSpec;

beforeAll(async () => {
  conn = await connectForTest();
});

afterAll(async () => {
  await conn.drain();
});

beforeEach(() => {
  topology = testTopology();
  spec = { stream: topology.stream.name, durable: 'worker', filterSubject: topology.subject };
});

afterEach(async () => {
  await deleteStreams(conn.jsm, [topology.stream.name, topology.deadLetter.name]);
});

describe('provisioning', () => {
  test('When streams and a consumer are provisioned twice, then the second run succeeds and changes nothing', async () => {
    // Arrange
    const streams = [topology.stream, topology.deadLetter];

    // Act
    const [firstStream] = await provisionStreams(conn.jsm, streams);
    const firstConsumer = await provisionConsumer(conn.jsm, spec, POLICY);
    const [secondStream] = await provisionStreams(conn.jsm, streams);
    const secondConsumer = await provisionConsumer(conn.jsm, spec, POLICY);

    // Assert
    expect(secondStream!.config).toEqual(firstStream!.config);
    expect(secondStream!.created).toBe(firstStream!.created);
    expect(secondConsumer.config).toEqual(firstConsumer.config);
    expect(secondConsumer.created).toBe(firstConsumer.created);
    expect(secondStream!.config).toMatchObject({
      storage: StorageType.File,
      duplicate_window: nanos(topology.stream.duplicateWindowMs),
      max_age: nanos(topology.stream.maxAgeMs),
    });
    expect(secondConsumer.config).toMatchObject({
      durable_name: 'worker',
      ack_policy: 'explicit',
      filter_subject: topology.subject,
      max_deliver: 4,
      backoff: [nanos(100), nanos(500), nanos(2000)],
      ack_wait: nanos(100),
      max_ack_pending: 32,
    });
  });

  test('When the desired config changes, then provisioning updates the existing stream and consumer in place', async () => {
    // Arrange
    await provisionStreams(conn.jsm, [topology.stream]);
    const before = await provisionConsumer(conn.jsm, spec, POLICY);

    // Act
    const [stream] = await provisionStreams(conn.jsm, [{ ...topology.stream, maxAgeMs: 60_000, duplicateWindowMs: 30_000 }]);
    const consumer = await provisionConsumer(conn.jsm, spec, { maxDeliver: 6, backoffMs: [200, 400], maxAckPending: 8 });

    // Assert
    expect(stream!.config.max_age).toBe(nanos(60_000));
    expect(stream!.config.duplicate_window).toBe(nanos(30_000));
    expect(consumer.created).toBe(before.created);
    expect(consumer.config).toMatchObject({ max_deliver: 6, backoff: [nanos(200), nanos(400)], max_ack_pending: 8 });
  });

  test('When a policy would let JetStream redeliver past its backoff table, then provisioning refuses it before calling the server', async () => {
    await provisionStreams(conn.jsm, [topology.stream]);
    await expect(provisionConsumer(conn.jsm, spec, { maxDeliver: 2, backoffMs: [100, 200], maxAckPending: 1 })).rejects.toMatchObject({
      code: 'INVALID_RETRY_POLICY',
    });
  });
});
