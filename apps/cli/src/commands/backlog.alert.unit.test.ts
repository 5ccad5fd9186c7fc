import type { ConsumerStatus } from '@inviteflow/messaging';
import { DEFAULT_MAX_BACKLOG_AGE_MS, overdueConsumers, parseDuration } from './backlog.alert';

const consumer = (name: string, oldestPendingAgeMs: number | null): ConsumerStatus => ({
  stream: 'MAIL', name, numPending: oldestPendingAgeMs === null ? 0 : 3, numAckPending: 0, numRedelivered: 0, oldestPendingAgeMs, oldestUndeliveredAgeMs: null,
});

describe('status --max-backlog-age', () => {
  test('When no threshold is given, then the documented default of 5 minutes applies', () => {
    expect(parseDuration(undefined, DEFAULT_MAX_BACKLOG_AGE_MS)).toBe(300_000);
  });

  test.each([['60s', 60_000], ['5m', 300_000], ['1h', 3_600_000], ['500ms', 500], ['90', 90_000], ['1.5s', 1500]])(
    'When the threshold is %s, then it is %d ms', (text, ms) => {
      expect(parseDuration(text, 0)).toBe(ms);
    });

  test.each(['', 'soon', '5 min', '-1s', '1d'])('When the threshold is "%s", then it is a usage error (exit 2)', (text) => {
    expect(() => parseDuration(text, 0)).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }));
  });

  test('Given consumers with and without a backlog, When one is older than the threshold, then only it is overdue', () => {
    const all = [consumer('idle', null), consumer('fresh', 2_000), consumer('parser', 61_000), consumer('older', 90_000)];
    expect(overdueConsumers(all, 60_000).map((c) => c.name)).toEqual(['older', 'parser']);
    expect(overdueConsumers(all, 90_000)).toEqual([]);
  });
});
