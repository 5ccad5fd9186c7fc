import { describeEvent } from './cluster.events';
import { LOCAL_RESTART_POLICY } from './restart.policy';

describe('the lines the cluster runner prints', () => {
  test('When a service crashes and will be restarted, then the line names it, the signal, the restart number and the delay', () => {
    const line = describeEvent({
      kind: 'crashed', service: 'appointment', exit: { code: null, signal: 'SIGKILL' }, how: 'signal SIGKILL',
      decision: { kind: 'restart', restart: 2, delayMs: 2000, crashesInWindow: 2 }, policy: LOCAL_RESTART_POLICY, logFile: '/logs/appointment.log',
    });
    expect(line).toBe('appointment   crashed  signal SIGKILL; restart 2 in 2.0 s (crash 2 of 5 allowed within 5 min; log: /logs/appointment.log)');
  });

  test('When the runner gives up, then the line is an error with its code', () => {
    const line = describeEvent({
      kind: 'crashed', service: 'parser', exit: { code: 1, signal: null }, how: 'exit code 1',
      decision: { kind: 'give-up', crashesInWindow: 5 }, policy: LOCAL_RESTART_POLICY, logFile: '/logs/parser.log',
    });
    expect(line).toBe('parser        crashed  exit code 1; ERROR CLI_SERVICE_CRASH_LOOP: 5 crashes within 5 min, giving up on it (not restarting; log: /logs/parser.log)');
  });

  test('When a stop needed SIGKILL, then it says so instead of "cleanly"', () => {
    const forced = describeEvent({ kind: 'stopped', service: 'ingest', outcome: { exit: { code: null, signal: 'SIGKILL' }, forced: true, ms: 15_003 }, budgetMs: 15_000 });
    const clean = describeEvent({ kind: 'stopped', service: 'ingest', outcome: { exit: { code: 0, signal: null }, forced: false, ms: 420 }, budgetMs: 15_000 });
    const second = describeEvent({ kind: 'stopped', service: 'ingest', outcome: { exit: { code: 130, signal: null }, forced: false, ms: 80 }, budgetMs: 15_000 });
    expect(forced).toBe('ingest        stopped  KILLED after its 15.0 s budget (signal SIGKILL)');
    expect(clean).toBe('ingest        stopped  cleanly in 0.4 s (exit 0)');
    expect(second).toBe('ingest        stopped  in 0.1 s, not cleanly (exit code 130)');
  });
});
