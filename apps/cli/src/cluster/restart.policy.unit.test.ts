import { decideRestart, describeExit, RestartPolicy } from './restart.policy';

const POLICY: RestartPolicy = { baseDelayMs: 1000, maxDelayMs: 5000, maxCrashes: 5, windowMs: 60_000 };

/** Crashes at the given times, one after another, as the runner feeds them in. */
function crashAt(times: number[], policy = POLICY): ReturnType<typeof decideRestart>['decision'][] {
  let history: number[] = [];
  return times.map((now) => {
    const { decision, crashes } = decideRestart(history, now, policy);
    history = crashes;
    return decision;
  });
}

describe('the restart policy of the local cluster runner', () => {
  test('When a service crashes again and again, then the delays double from the base up to the cap, numbering each restart', () => {
    // Act
    const decisions = crashAt([0, 10, 20, 30], { ...POLICY, maxCrashes: 10, maxDelayMs: 4000 });

    // Assert
    expect(decisions).toEqual([
      { kind: 'restart', restart: 1, delayMs: 1000, crashesInWindow: 1 },
      { kind: 'restart', restart: 2, delayMs: 2000, crashesInWindow: 2 },
      { kind: 'restart', restart: 3, delayMs: 4000, crashesInWindow: 3 },
      { kind: 'restart', restart: 4, delayMs: 4000, crashesInWindow: 4 },
    ]);
  });

  test('When the fifth crash falls within the window, then the runner gives up on the service', () => {
    // Act
    const decisions = crashAt([0, 1000, 2000, 3000, 4000]);

    // Assert
    expect(decisions.slice(0, 4).every((d) => d.kind === 'restart')).toBe(true);
    expect(decisions[4]).toEqual({ kind: 'give-up', crashesInWindow: 5 });
  });

  test('When earlier crashes are older than the window, then they are forgotten and the backoff starts over', () => {
    // Act: four crashes early on, then one long after
    const decisions = crashAt([0, 1000, 2000, 3000, 3000 + POLICY.windowMs + 1]);

    // Assert
    expect(decisions[4]).toEqual({ kind: 'restart', restart: 1, delayMs: 1000, crashesInWindow: 1 });
  });

  test('When the history is passed in, then it is not changed (the function is pure)', () => {
    // Arrange
    const history = Object.freeze([0, 1000]);

    // Act
    const first = decideRestart(history, 2000, POLICY);
    const again = decideRestart(history, 2000, POLICY);

    // Assert
    expect(first).toEqual(again);
    expect(first.crashes).toEqual([0, 1000, 2000]);
    expect(history).toEqual([0, 1000]);
  });

  test('When a process ends by a signal or an exit code, then it is described as such', () => {
    expect(describeExit(null, 'SIGKILL')).toBe('signal SIGKILL');
    expect(describeExit(3, null)).toBe('exit code 3');
  });
});
