import { bytes, useTopologyFixture } from './int-test.support';
import { publish } from './message.publisher';

const fx = useTopologyFixture();

describe('publish', () => {
  test('When the same msgId is published twice, then the stream stores one message and the second ack is a duplicate', async () => {
    // Arrange
    const msgId = '<CAF00D@mail.example.com>:uid-1:0';

    // Act
    const first = await publish(fx.conn.js, fx.topology.subject, bytes('one'), { msgId });
    const second = await publish(fx.conn.js, fx.topology.subject, bytes('one again'), { msgId });

    // Assert
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    const info = await fx.conn.jsm.streams.info(fx.topology.stream.name);
    expect(info.state.messages).toBe(1);
  });

  test('When headers are given, then they travel with the message and the caller\'s object is not modified', async () => {
    // Arrange
    const headers = { 'X-Trace-Id': 'abc' };

    // Act
    const ack = await publish(fx.conn.js, fx.topology.subject, bytes('h'), { msgId: 'h-1', headers });

    // Assert
    const stored = await fx.conn.jsm.streams.getMessage(fx.topology.stream.name, { seq: ack.seq });
    expect(stored?.header.get('X-Trace-Id')).toBe('abc');
    expect(stored?.header.get('Nats-Msg-Id')).toBe('h-1');
    expect(headers).toEqual({ 'X-Trace-Id': 'abc' });
  });

  test('When the msgId is empty, then publish refuses with MSG_ID_REQUIRED', async () => {
    await expect(publish(fx.conn.js, fx.topology.subject, bytes('x'), { msgId: ' ' })).rejects.toMatchObject({ code: 'MSG_ID_REQUIRED' });
  });

  test('When no stream captures the subject, then publish fails with a retryable PUBLISH_FAILED', async () => {
    await expect(
      publish(fx.conn.js, `${fx.topology.prefix}x.nowhere.v1`, bytes('x'), { msgId: 'x', timeoutMs: 1000 }),
    ).rejects.toMatchObject({ code: 'PUBLISH_FAILED', retryable: true });
  });
});
