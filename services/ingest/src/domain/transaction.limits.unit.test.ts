import { dataDeadline } from './transaction.limits';

describe('dataDeadline', () => {
  const limits = { transactionTimeoutMs: 60_000, minDataRateBps: 500, dataRateGraceMs: 30_000 };

  test('When nothing has arrived, then DATA may last the grace window', () => {
    expect(dataDeadline(1_000, 0, limits)).toBe(31_000);
  });

  test('When bytes arrive, then each buys 1/rate seconds more (500 bytes = 1 s at 500 B/s)', () => {
    expect(dataDeadline(1_000, 500, limits)).toBe(32_000);
    expect(dataDeadline(1_000, 25 * 1024 * 1024, limits)).toBe(31_000 + 52_428_800);
  });

  test('When the minimum rate is 0, then there is no deadline', () => {
    expect(dataDeadline(1_000, 0, { ...limits, minDataRateBps: 0 })).toBe(Number.POSITIVE_INFINITY);
  });
});
