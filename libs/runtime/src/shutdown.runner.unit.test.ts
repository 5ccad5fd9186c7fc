import { captureLog } from '../test/log.capture';
import { runShutdown } from './shutdown.runner';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runShutdown', () => {
  test('When steps succeed, then they run strictly in order, each waiting for the previous one', async () => {
    // Arrange
    const { log, messages } = captureLog();
    const calls: string[] = [];
    const step = (name: string, ms: number) => ({
      name,
      run: async () => {
        calls.push(`${name}:start`);
        await pause(ms);
        calls.push(`${name}:end`);
      },
    });

    // Act
    const result = await runShutdown([step('consumer', 20), step('drain', 5), step('mongo', 0)], log, 1_000);

    // Assert
    expect(calls).toEqual(['consumer:start', 'consumer:end', 'drain:start', 'drain:end', 'mongo:start', 'mongo:end']);
    expect(result.outcome).toBe('completed');
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['consumer', 'ok'],
      ['drain', 'ok'],
      ['mongo', 'ok'],
    ]);
    expect(messages().filter((m) => m === 'shutdown step finished')).toHaveLength(3);
  });

  test('When a step fails, then the error is logged with its code and later steps still run', async () => {
    const { log, lines } = captureLog();
    const calls: string[] = [];

    const result = await runShutdown(
      [
        { name: 'consumer', run: () => Promise.reject(new Error('already closed')) },
        { name: 'mongo', run: async () => void calls.push('mongo') },
      ],
      log,
      1_000,
    );

    expect(calls).toEqual(['mongo']);
    expect(result.outcome).toBe('completed');
    expect(result.steps.map((s) => s.status)).toEqual(['failed', 'ok']);
    const failure = lines().find((line) => line['msg'] === 'shutdown step failed');
    expect(failure).toMatchObject({ level: 'error', step: 'consumer', code: 'SHUTDOWN_STEP_FAILED', err: { message: 'already closed' } });
  });

  test('When a step throws synchronously, then it is treated like a rejected step', async () => {
    const { log } = captureLog();
    const boom = (): never => {
      throw new Error('sync');
    };

    const result = await runShutdown([boom, async () => undefined], log, 1_000);

    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['boom', 'failed'],
      ['step-2', 'ok'],
    ]);
  });

  test('When a step hangs past the budget, then the result times out, names the stuck step and skips the rest', async () => {
    // Arrange
    const { log, lines } = captureLog();
    const calls: string[] = [];
    let drainFinished = false;

    // Act
    const result = await runShutdown(
      [
        { name: 'consumer', run: async () => void calls.push('consumer') },
        { name: 'drain', run: () => new Promise<void>((resolve) => setTimeout(() => { drainFinished = true; resolve(); }, 5_000).unref()) },
        { name: 'mongo', run: async () => void calls.push('mongo') },
      ],
      log,
      50,
    );

    // Assert
    // The run ended at its budget: the stuck step was abandoned, not waited for.
    expect(drainFinished).toBe(false);
    expect(result.outcome).toBe('timed-out');
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['consumer', 'ok'],
      ['drain', 'timed-out'],
      ['mongo', 'not-run'],
    ]);
    expect(lines().find((line) => line['code'] === 'SHUTDOWN_TIMEOUT')).toMatchObject({ step: 'drain', timeoutMs: 50 });
    expect(calls).toEqual(['consumer']);
  });

  test('When a bound method is a step, then its log name drops the "bound " prefix', async () => {
    const { log } = captureLog();
    const consumer = { stop: async function stop() {} };

    const result = await runShutdown([consumer.stop.bind(consumer)], log, 1_000);

    expect(result.steps[0]!.name).toBe('stop');
  });
});
