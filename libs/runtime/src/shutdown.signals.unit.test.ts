import { EventEmitter } from 'node:events';
import { captureLog } from '../test/log.capture';
import { onShutdown } from './shutdown.signals';

function harness() {
  const source = new EventEmitter();
  const exits: number[] = [];
  const exited = new Promise<number>((resolve) => {
    source.once('exit-called', resolve);
  });
  const exit = (code: number) => {
    exits.push(code);
    source.emit('exit-called', code);
  };
  return { source, exits, exited, exit };
}

describe('onShutdown', () => {
  test('When SIGTERM arrives, then the steps run in order and the process exits 0', async () => {
    const { log } = captureLog();
    const { source, exits, exited, exit } = harness();
    const calls: string[] = [];
    const dispose = onShutdown(log, 1_000, [async () => void calls.push('a'), async () => void calls.push('b')], { source, exit });

    source.emit('SIGTERM', 'SIGTERM');

    expect(await exited).toBe(0);
    expect(calls).toEqual(['a', 'b']);
    expect(exits).toEqual([0]);
    dispose();
    expect(source.listenerCount('SIGTERM')).toBe(0);
  });

  test('When a second signal arrives during shutdown, then it exits 130 at once', async () => {
    const { log } = captureLog();
    const { source, exits, exit } = harness();
    let release: () => void = () => undefined;
    const hanging = () => new Promise<void>((resolve) => (release = resolve));
    const dispose = onShutdown(log, 5_000, [hanging], { source, exit });

    source.emit('SIGTERM', 'SIGTERM');
    source.emit('SIGINT', 'SIGINT');

    expect(exits).toEqual([130]);
    await new Promise(setImmediate); // let the hanging step start, then release it
    release();
    dispose();
  });

  test('When the steps overrun the budget, then it exits 1', async () => {
    const { log, lines } = captureLog();
    const { source, exited, exit } = harness();
    const dispose = onShutdown(log, 50, [() => new Promise((resolve) => setTimeout(resolve, 2_000).unref())], { source, exit });

    source.emit('SIGINT', 'SIGINT');

    expect(await exited).toBe(1);
    expect(lines().some((line) => line['code'] === 'SHUTDOWN_TIMEOUT')).toBe(true);
    dispose();
  });
});
