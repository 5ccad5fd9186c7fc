import type { ConsumerInfo } from '@nats-io/jetstream';
import { readConsumer } from './backlog.metrics';

const NOW = Date.parse('2026-12-02T10:00:00Z');

function info(p: { pending: number; ackPending: number; waiting: number; lastAck?: string }): ConsumerInfo {
  return {
    num_pending: p.pending, num_ack_pending: p.ackPending, num_waiting: p.waiting, created: '2026-12-01T00:00:00Z',
    ack_floor: { consumer_seq: 1, stream_seq: 1, ...(p.lastAck ? { last_active: p.lastAck } : {}) },
  } as unknown as ConsumerInfo;
}

describe('backlog gauges from consumer info', () => {
  test('Given messages waiting, When the last ack was 10 minutes ago, then the consumer has been stalled 600 s', () => {
    expect(readConsumer(info({ pending: 4, ackPending: 1, waiting: 0, lastAck: '2026-12-02T09:50:00Z' }), NOW)).toEqual({ pending: 5, stalledSeconds: 600, waitingPulls: 0 });
  });

  test('Given nothing pending, When the last ack is old, then the consumer is idle, not stalled', () => {
    expect(readConsumer(info({ pending: 0, ackPending: 0, waiting: 1, lastAck: '2026-12-02T08:00:00Z' }), NOW)).toEqual({ pending: 0, stalledSeconds: 0, waitingPulls: 1 });
  });

  test('Given a consumer that never acknowledged anything, When messages wait, then the stall counts from its creation', () => {
    expect(readConsumer(info({ pending: 2, ackPending: 0, waiting: 0 }), NOW).stalledSeconds).toBe(34 * 3600);
  });
});
