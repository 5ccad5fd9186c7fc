import { randomBytes } from 'node:crypto';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { bytes, sleep, useConsumerFixture } from './int-test.support';
import { publish } from './message.publisher';
import { pipelineStatus } from './pipeline.status';

const fx = useConsumerFixture({ maxDeliver: 3, backoffMs: [100, 100], maxAckPending: 10 });

describe('pipelineStatus', () => {
  test('When messages wait for a consumer, then the status reports the pending count and the age of the oldest one', async () => {
    // Arrange: an unrelated subject first, so the oldest *matching* message is not seq 1.
    await publish(fx.conn.js, `${fx.topology.prefix}.other.v1`, bytes('not for worker'), { msgId: 'o-1' });
    await sleep(100);
    const oldest = await publish(fx.conn.js, fx.topology.subject, bytes('1'), { msgId: 'm-1' });
    const oldestTime = (await fx.conn.jsm.streams.getMessage(fx.topology.stream.name, { seq: oldest.seq }))!.time.getTime();
    await publish(fx.conn.js, fx.topology.subject, bytes('2'), { msgId: 'm-2' });
    await publish(fx.conn.js, fx.topology.subject, bytes('3'), { msgId: 'm-3' });
    await publish(fx.conn.js, `dlq.${fx.topology.subject}`, bytes('dead'), { msgId: 'd-1' });
    const now = oldestTime + 1500;

    // Act
    const status = await pipelineStatus(fx.conn.jsm, {
      streams: [fx.topology.stream.name],
      deadLetterStream: fx.topology.deadLetter.name,
      now: () => now,
    });

    // Assert
    expect(status.streams).toEqual([
      { name: fx.topology.stream.name, messages: 4, bytes: expect.any(Number), firstSeq: 1, lastSeq: 4, consumerCount: 1 },
    ]);
    expect(status.consumers).toEqual([
      {
        stream: fx.topology.stream.name,
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
    const status = await pipelineStatus(fx.conn.jsm, { streams: [fx.topology.stream.name], deadLetterStream: fx.topology.deadLetter.name });

    expect(status.consumers[0]).toMatchObject({ numPending: 0, numAckPending: 0, oldestPendingAgeMs: null, oldestUndeliveredAgeMs: null });
    expect(status.deadLetters).toBe(0);
  });

  test('When a message is delivered but not acked, then it still counts towards the oldest pending age', async () => {
    // Arrange
    await publish(fx.conn.js, fx.topology.subject, bytes('in flight'), { msgId: 'f-1' });
    const consumer = await fx.conn.js.consumers.get(fx.spec.stream, fx.spec.durable);
    const inFlight = await consumer.next({ expires: 1000 });
    expect(inFlight).not.toBeNull();

    // Act
    const status = await pipelineStatus(fx.conn.jsm, {
      streams: [fx.topology.stream.name],
      deadLetterStream: fx.topology.deadLetter.name,
      now: () => inFlight!.time.getTime() + 250,
    });

    // Assert
    expect(status.consumers[0]).toMatchObject({ numPending: 0, numAckPending: 1, oldestPendingAgeMs: 250, oldestUndeliveredAgeMs: null });
  });

  test('When the dead-letter stream does not exist, then the dead-letter count is null', async () => {
    const status = await pipelineStatus(fx.conn.jsm, { streams: [fx.topology.stream.name], deadLetterStream: `${fx.topology.deadLetter.name}_MISSING` });
    expect(status.deadLetters).toBeNull();
  });

  test('When consumers pile up on an object-store stream, then its stream line counts them and they are not listed as pipeline consumers', async () => {
    // Arrange: a bucket with three lingering consumers, as the old raw-mail reads left behind.
    const bucket = `status-leak-${randomBytes(5).toString('hex')}`;
    const objects = await new Objm(fx.conn.nc).create(bucket);
    try {
      await objects.putBlob({ name: 'mail' }, bytes('From: a@example.com\r\n\r\nx'));
      for (let i = 0; i < 3; i++) {
        await fx.conn.jsm.consumers.add(`OBJ_${bucket}`, { name: `oc_${i}`, ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, inactive_threshold: 60_000_000_000 });
      }

      // Act
      const status = await pipelineStatus(fx.conn.jsm, { streams: [`OBJ_${bucket}`, fx.topology.stream.name], deadLetterStream: fx.topology.deadLetter.name });

      // Assert
      expect(status.streams.map((s) => [s.name, s.consumerCount])).toEqual([
        [`OBJ_${bucket}`, 3],
        [fx.topology.stream.name, 1],
      ]);
      expect(status.consumers.map((c) => `${c.stream}/${c.name}`)).toEqual([`${fx.topology.stream.name}/worker`]);
    } finally {
      await objects.destroy();
    }
  });
});
