import { connectForTest, bytes, deleteStreams, provisionTopology, testTopology, type TestTopology } from './int-test.support';
import { publish } from './message.publisher';
import type { NatsHandle } from './nats.connection';

let conn: NatsHandle;
let topology: TestTopology;

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
  await deleteStreams(conn.jsm, [topology.stream.name, topology.deadLetter.name]);
});

describe('publish', () => {
  test('When the same msgId is published twice, then the stream stores one message and the second ack is a duplicate', async () => {
    // Arrange
    const msgId = '<CAF00D@mail.example.com>:uid-1:0';

    // Act
    const first = await publish(conn.js, topology.subject, bytes('one'), { msgId });
    const second = await publish(conn.js, topology.subject, bytes('one again'), { msgId });

    // Assert
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    const info = await conn.jsm.streams.info(topology.stream.name);
    expect(info.state.messages).toBe(1);
  });

  test('When headers are given, then they travel with the message and the caller\'s object is not modified', async () => {
    // Arrange
    const headers = { 'X-Trace-Id': 'abc' };

    // Act
    const ack = await publish(conn.js, topology.subject, bytes('h'), { msgId: 'h-1', headers });

    // Assert
    const stored = await conn.jsm.streams.getMessage(topology.stream.name, { seq: ack.seq });
    expect(stored?.header.get('X-Trace-Id')).toBe('abc');
    expect(stored?.header.get('Nats-Msg-Id')).toBe('h-1');
    expect(headers).toEqual({ 'X-Trace-Id': 'abc' });
  });

  test('When the msgId is empty, then publish refuses with MSG_ID_REQUIRED', async () => {
    await expect(publish(conn.js, topology.subject, bytes('x'), { msgId: ' ' })).rejects.toMatchObject({ code: 'MSG_ID_REQUIRED' });
  });

  test('When no stream captures the subject, then publish fails with a retryable PUBLISH_FAILED', async () => {
    await expect(
      publish(conn.js, `${topology.prefix}x.nowhere.v1`, bytes('x'), { msgId: 'x', timeoutMs: 1000 }),
    ).rejects.toMatchObject({ code: 'PUBLISH_FAILED', retryable: true });
  });
});
