import { isAppError } from '@inviteflow/runtime';
import { afterTemporaryFailure, DEFAULT_DEFER_TABLE, parseDeferTable } from './defer.table';

const T0 = new Date('2026-03-01T08:00:00Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

describe('the defer table', () => {
  test('When the default table is parsed, then its delays grow from 1 minute to 24 hours', () => {
    expect(parseDeferTable(DEFAULT_DEFER_TABLE)).toEqual([60_000, 300_000, 900_000, 3_600_000, 14_400_000, 28_800_000, 86_400_000, 86_400_000]);
  });

  test.each([
    ['10ms,20ms,1s', [10, 20, 1000]],
    ['5, 2m ,1d', [5, 120_000, 86_400_000]],
  ])('When "%s" is parsed, then the delays are %j milliseconds', (text, expected) => {
    expect(parseDeferTable(text)).toEqual(expected);
  });

  test.each(['', ' , ', '1 minute', '-5m', '1.5h'])('When "%s" is parsed, then it is refused as CONFIG_INVALID', (text) => {
    let thrown: unknown;
    try {
      parseDeferTable(text);
    } catch (err) {
      thrown = err;
    }
    expect(isAppError(thrown) && thrown.code).toBe('CONFIG_INVALID');
  });

  test('Given a 3-delay table, when attempts 1-3 fail temporarily, then each is deferred by its delay from now; the 4th expires', () => {
    const policy = { delaysMs: [1000, 5000, 15_000], maxAgeMs: 86_400_000 };
    expect(afterTemporaryFailure(policy, 1, T0, at(0))).toEqual({ kind: 'defer', nextAttemptAt: at(1000) });
    expect(afterTemporaryFailure(policy, 2, T0, at(1000))).toEqual({ kind: 'defer', nextAttemptAt: at(6000) });
    expect(afterTemporaryFailure(policy, 3, T0, at(6000))).toEqual({ kind: 'defer', nextAttemptAt: at(21_000) });
    expect(afterTemporaryFailure(policy, 4, T0, at(21_000))).toMatchObject({ kind: 'expire', why: expect.stringContaining('after 4 attempts') });
  });

  test('Given a maximum age, when the next attempt would fall past it, then the delivery expires instead of being deferred', () => {
    const policy = { delaysMs: [60_000, 3_600_000], maxAgeMs: 30 * 60_000 };
    expect(afterTemporaryFailure(policy, 1, T0, at(0))).toEqual({ kind: 'defer', nextAttemptAt: at(60_000) });
    expect(afterTemporaryFailure(policy, 2, T0, at(60_000))).toMatchObject({ kind: 'expire', why: expect.stringContaining('30 min') });
  });
});
