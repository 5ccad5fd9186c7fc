import { randomBytes } from 'node:crypto';
import type { ConsumerSpec } from '@inviteflow/contracts';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { bytes, connectForTest, deleteStreams, provisionTopology, sleep, testTopology, type TestTopology } from './int-test.support';
import { publish } from './message.publisher';
import type { NatsHandle } from './nats.connection';
import { pipelineStatus } from './pipeline.status';
import { provisionConsumer } from './stream.provisioner';

let conn: NatsHandle;
let topology: TestTopology;
let spec: ConsumerSpec;

beforeAll(async () => {
  conn = await connectForTest();
});

afterAll(async () => {
  await conn.drain();
});

beforeEach(async () => {
  topology = testTopology();
  spec = { stream: topology.stream.name, durable: 'worker', filterSubject: topology.subject };
  await provisionTopology(conn.jsm, topology);
  await provisionConsumer(conn.jsm, spec, { maxDeliver: 3, backoffMs: [100, 100], maxAckPending: 10 });
});

afterEach(async () => {
  await deleteStreams(conn.jsm, [topology.stream.name, topology.deadLetter.name]);
});

describe('pipelineStatus', () => {
  test('When messages wait for a consumer, then the status reports the pending count and the age of the oldest one', async () => {
    // Arrange: an unrelated subject first, so the oldest *matching* message is not seq 1.
    await publish(conn.js, `${topology.prefix}.other.v1`, bytes('not for worker'), { msgId: 'o-1' });
    await sleep(100);
    const oldest = await publish(conn.js, topology.subject, bytes('1'), { msgId: 'm-1' });
    const oldestTime = (await conn.jsm.streams.getMessage(topology.stream.name, { seq: oldest.seq }))!.time.getTime();
    await publish(conn.js, topology.subject, bytes('2'), { msgId: 'm-2' });
    await publish(conn.js, topology.subject, bytes('3'), { msgId: 'm-3' });
    await publish(conn.js, `dlq.${topology.subject}`, bytes('dead'), { msgId: 'd-1' });
    const now = oldestTime + 1500;

    // Act
    const status = await pipelineStatus(conn.jsm, {
      streams: [topology.stream.name],
      deadLetterStream: topology.deadLetter.name,
      now: () => now,
    });

    // Assert
    expect(status.streams).toEqual([
      { name: topology.stream.name, messages: 4, bytes: expect.any(Number), firstSeq: 1, lastSeq: 4, consumerCount: 1 },
    ]);
    expect(status.consumers).toEqual([
      {
        stream: topology.stream.name,
        name: 'worker',
        numPending: 3,
        numAckPending: 0,
        numRedelivered: 0,
        oldestPendingAgeMs: 1500,
        oldestUndeliveredAgeMs: 1500,
      },
    ]);
    expect(status.deadLetters).toBe(1);
  });

  test('When nothing is pending, then the oldest pending age is null', async () => {
    const status = await pipelineStatus(conn.jsm, { streams: [topology.stream.name], deadLetterStream: topology.deadLetter.name });

    expect(status.consumers[0]).toMatchObject({ numPending: 0, numAckPending: 0, oldestPendingAgeMs: null, oldestUndeliveredAgeMs: null });
    expect(status.deadLetters).toBe(0);
  });

  test('When a message is delivered but not acked, then it still counts towards the oldest pending age', async () => {
    // Arrange
    await publish(conn.js, topology.subject, bytes('in flight'), { msgId: 'f-1' });
    const consumer = await conn.js.consumers.get(spec.stream, spec.durable);
    const inFlight = await consumer.next({ expires: 1000 });
    expect(inFlight).not.toBeNull();

    // Act
    const status = await pipelineStatus(conn.jsm, {
      streams: [topology.stream.name],
      deadLetterStream: topology.deadLetter.name,
      now: () => inFlight!.time.getTime() + 250,
    });

    // Assert
    expect(status.consumers[0]).toMatchObject({ numPending: 0, numAckPending: 1, oldestPendingAgeMs: 250, oldestUndeliveredAgeMs: null });
  });

  test('When the dead-letter stream does not exist, then the dead-letter count is null', async () => {
    const status = await pipelineStatus(conn.jsm, { streams: [topology.stream.name], deadLetterStream: `${topology.deadLetter.name}_MISSING` });
    expect(status.deadLetters).toBeNull();
  });

  test('When consumers pile up on an object-store stream, then its stream line counts them and they are not listed as pipeline consumers', async () => {
    // Arrange: a bucket with three lingering consumers, as the old raw-mail reads left behind.
    const bucket = `status-leak-${randomBytes(5).toString('hex')}`;
    const objects = await new Objm(conn.nc).create(bucket);
    try {
      await objects.putBlob({ name: 'mail' }, bytes('From: a@example.com\r\n\r\nx'));
      for (let i = 0; i < 3; i++) {
        await conn.jsm.consumers.add(`OBJ_${bucket}`, { name: `oc_${i}`, ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, inactive_threshold: 60_000_000_000 });
      }

      // Act
      const status = await pipelineStatus(conn.jsm, { streams: [`OBJ_${bucket}`, topology.stream.name], deadLetterStream: topology.deadLetter.name });

      // Assert
      expect(status.streams.map((s) => [s.name, s.consumerCount])).toEqual([
        [`OBJ_${bucket}`, 3],
        [topology.stream.name, 1],
      ]);
      expect(status.consumers.map((c) => `${c.stream}/${c.name}`)).toEqual([`${topology.stream.name}/worker`]);
    } finally {
      await objects.destroy();
    }
  });
});
