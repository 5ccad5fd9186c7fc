import {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  effectiveAckWaitMs,
  failureAction,
  validateRetryPolicy,
  type RetryPolicy,
} from './retry.policy';

const policy: RetryPolicy = { maxDeliver: 4, backoffMs: [100, 200, 300], maxAckPending: 10 };

describe('backoff selection', () => {
  test.each([
    [1, 100],
    [2, 200],
    [3, 300],
    [4, 300], // past the table: the last entry repeats
    [0, 100], // defensive: never index before the table
  ])('When delivery %i fails, then the nak delay is %i ms', (deliveryCount, delay) => {
    expect(backoffDelayMs(policy, deliveryCount)).toBe(delay);
  });

  test('When a retryable failure has deliveries left, then it is nak\'ed with the table delay', () => {
    expect(failureAction(policy, 'retry', 1)).toEqual({ kind: 'nak', delayMs: 100 });
    expect(failureAction(policy, 'retry', 3)).toEqual({ kind: 'nak', delayMs: 300 });
  });

  test('When the last delivery fails, then it is dead-lettered even if retryable', () => {
    expect(failureAction(policy, 'retry', 4)).toEqual({ kind: 'dead-letter' });
    expect(failureAction(policy, 'retry', 5)).toEqual({ kind: 'dead-letter' });
  });

  test('When a failure is rejected, then it is dead-lettered on the first delivery', () => {
    expect(failureAction(policy, 'reject', 1)).toEqual({ kind: 'dead-letter' });
  });

  test('When the server max_deliver differs from the policy, then the server value decides the last attempt', () => {
    expect(failureAction(policy, 'retry', 2, 2)).toEqual({ kind: 'dead-letter' });
  });

  test('The effective ack deadline is the first backoff entry', () => {
    expect(effectiveAckWaitMs(policy)).toBe(100);
  });
});

describe('retry policy validation', () => {
  test('The default policy is valid and uses its whole table before dead-lettering', () => {
    expect(validateRetryPolicy(DEFAULT_RETRY_POLICY)).toBe(DEFAULT_RETRY_POLICY);
    expect(DEFAULT_RETRY_POLICY.maxDeliver).toBe(DEFAULT_RETRY_POLICY.backoffMs.length + 1);
  });

  test.each<[string, RetryPolicy]>([
    ['max_deliver not above the backoff length', { maxDeliver: 3, backoffMs: [1, 2, 3], maxAckPending: 1 }],
    ['unlimited redelivery', { maxDeliver: -1, backoffMs: [1], maxAckPending: 1 }],
    ['an empty backoff table', { maxDeliver: 2, backoffMs: [], maxAckPending: 1 }],
    ['a zero delay', { maxDeliver: 2, backoffMs: [0], maxAckPending: 1 }],
    ['no ack-pending room', { maxDeliver: 2, backoffMs: [1], maxAckPending: 0 }],
  ])('When a policy has %s, then it is refused with INVALID_RETRY_POLICY', (_name, bad) => {
    expect(() => validateRetryPolicy(bad)).toThrow(expect.objectContaining({ code: 'INVALID_RETRY_POLICY', retryable: false }));
  });
});
