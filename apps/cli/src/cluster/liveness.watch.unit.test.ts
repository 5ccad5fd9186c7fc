import { watchLiveness, type LivenessPolicy } from './liveness.watch';

const POLICY: LivenessPolicy = { periodMs: 1000, timeoutMs: 500, failureThreshold: 3 };

describe('watchLiveness (what a livenessProbe does, for the local runner)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A probe whose answers the test scripts: true answers, false fails. */
  function scripted(answers: boolean[]) {
    const calls: string[] = [];
    const probe = async (url: string): Promise<string | undefined> => {
      calls.push(url);
      return (answers.shift() ?? true) ? undefined : 'connect ECONNREFUSED';
    };
    return { calls, probe };
  }

  async function periods(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await jest.advanceTimersByTimeAsync(POLICY.periodMs);
  }

  test('When /healthz fails three times in a row, then onDead is called once, saying why, and probing stops', async () => {
    // Arrange
    const { calls, probe } = scripted([true, false, false, false, false]);
    const dead: string[] = [];
    // Act
    watchLiveness({ url: 'http://127.0.0.1:9603/healthz', policy: POLICY, probe, onDead: (how) => dead.push(how) });
    await periods(8);
    // Assert
    expect(calls).toHaveLength(4);
    expect(dead).toEqual(['unresponsive: /healthz failed 3 times in a row (every 1.0 s, 0.5 s timeout; last: connect ECONNREFUSED), killed with SIGKILL']);
  });

  test('When a success comes between failures, then the count starts again and the process is left alone', async () => {
    // Arrange
    const { calls, probe } = scripted([false, false, true, false, false, true, false]);
    const dead: string[] = [];
    // Act
    watchLiveness({ url: 'u', policy: POLICY, probe, onDead: (how) => dead.push(how) });
    await periods(7);
    // Assert
    expect(calls).toHaveLength(7);
    expect(dead).toEqual([]);
  });

  test('When the watch is stopped (the process exited), then no probe runs any more', async () => {
    // Arrange
    const { calls, probe } = scripted([]);
    const stop = watchLiveness({ url: 'u', policy: POLICY, probe, onDead: () => undefined });
    await periods(2);
    // Act
    stop();
    await periods(5);
    // Assert
    expect(calls).toHaveLength(2);
  });
});
