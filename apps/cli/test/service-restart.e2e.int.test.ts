import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@inviteflow/infra';
import { eventually } from './cluster.harness';
import { SERVICE_NAMES, SERVICE_NODE_FLAGS } from '../src/cluster/service-catalog';
import type { ServiceProcess } from '../src/cluster/service-process';
import { cli, useCliCluster } from './cli.runner';

// Issue 8: a service killed by SIGKILL (exit code null) went unnoticed by the cluster runner.
// It must say so, restart the service with backoff on the same ports, and the service must
// serve again. The cluster is the runner's own (startCluster, as `./dev up` uses it).
const root = findWorkspaceRoot(__dirname);

/** A process's command line, from /proc (the runner's own record could not catch a slip in spawn). */
function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((arg) => arg !== '');
}

/** The process the runner started in place of `victim`. */
function successorOf(fx: ReturnType<typeof useCliCluster>, name: 'appointment' | 'identity', victim: ServiceProcess, timeoutMs: number): Promise<ServiceProcess> {
  return eventually(`a new ${name} process`, timeoutMs, async () => {
    const p = fx.t.cluster.processes.get(name);
    return p && p !== victim ? p : undefined;
  });
}

describe('a SIGKILLed service comes back', () => {
  const fx = useCliCluster(['example.org']);

  test('When the runner starts the services, then each runs with its own Node flags, the ones its image and k8s/base give it', () => {
    for (const name of SERVICE_NAMES) {
      const argv = commandLine(fx.t.cluster.processes.get(name)!.child.pid!);
      expect({ name, flags: argv.slice(1, -1), script: argv.at(-1) }).toEqual({ name, flags: [...SERVICE_NODE_FLAGS[name]], script: join(root, 'dist/services', name, 'main.js') });
    }
  });

  test('When the appointment process is SIGKILLed, then the runner reports the crash and the restart, and the diary answers again', async () => {
    // Arrange
    const imported = await cli(['directory', 'import', join(root, 'examples/directory.json')], fx.env);
    expect(imported.code).toBe(0);
    const victim = fx.t.cluster.processes.get('appointment')!;
    const healthBefore = fx.t.cluster.endpoints.health.appointment;

    // Act: killed from outside, as the OOM killer or a stray `kill -9` would
    process.kill(victim.child.pid!, 'SIGKILL');

    // Assert: a new process, announced as restart 1 after 1 s
    const successor = await successorOf(fx, 'appointment', victim, 30_000);
    expect(successor.child.pid).not.toBe(victim.child.pid);
    const lines = fx.t.lines.filter((l) => l.startsWith('appointment '));
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^appointment +crashed +signal SIGKILL; restart 1 in 1\.0 s \(crash 1 of 5 allowed within 5 min; log: .*appointment\.log\)$/),
      'appointment   starting (restart 1)',
    ]));
    expect(lines.at(-1)).toMatch(/^appointment +ready +grpc=\d+ health=\d+$/);
    expect(fx.t.lines.some((l) => l.includes('giving up'))).toBe(false);

    // ... with the same Node flags as the first start (issue 14: heap caps, no helper compiles)
    expect(commandLine(successor.child.pid!).slice(1, -1)).toEqual(SERVICE_NODE_FLAGS.appointment);

    // ... back on the same ports, ready, and serving the CLI
    expect(fx.t.cluster.endpoints.health.appointment).toBe(healthBefore);
    const ready = await eventually('appointment /readyz 200', 15_000, async () => ((await fetch(`http://${healthBefore}/readyz`)).status === 200 ? true : undefined));
    expect(ready).toBe(true);
    const diary = await eventually('inviteflow diary to work again', 15_000, async () => {
      const run = await cli(['diary', 'homer@example.org', '--json'], fx.env);
      return run.code === 0 ? run : undefined;
    });
    // Homer's diary is empty: proto JSON leaves an empty list out.
    expect(JSON.parse(diary.stdout)).not.toHaveProperty('entries');
    expect(JSON.parse(diary.stdout)).toHaveProperty('associateId');
  }, 90_000);
});

// Issue 14: a process that is alive but no longer answers (its event loop held) is found by the
// runner's liveness watch, as Kubernetes' livenessProbe finds it, killed and restarted. A short
// policy so the test does not wait 30 s; SIGSTOP stands in for a held event loop.
describe('an unresponsive service is killed and comes back', () => {
  const fx = useCliCluster(['example.org'], { liveness: { periodMs: 1000, timeoutMs: 2000, failureThreshold: 3 } });

  test('When the identity process stops answering /healthz, then the runner kills it, says why, restarts it, and it answers again', async () => {
    // Arrange
    const victim = fx.t.cluster.processes.get('identity')!;
    const health = fx.t.cluster.endpoints.health.identity;

    // Act: stopped, not ended — only the liveness watch can notice
    process.kill(victim.child.pid!, 'SIGSTOP');

    // Assert
    const successor = await successorOf(fx, 'identity', victim, 60_000);
    expect(successor.child.pid).not.toBe(victim.child.pid);
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(fx.t.lines.filter((l) => l.startsWith('identity '))).toEqual(expect.arrayContaining([
      expect.stringMatching(/^identity +crashed +unresponsive: \/healthz failed 3 times in a row \(every 1\.0 s, 2\.0 s timeout; last: .+\), killed with SIGKILL; restart 1 in 1\.0 s/),
      'identity      starting (restart 1)',
    ]));
    const live = await eventually('identity /healthz 200 again', 30_000, async () => ((await fetch(`http://${health}/healthz`)).status === 200 ? true : undefined));
    expect(live).toBe(true);
    const imported = await eventually('directory import to work again', 30_000, async () => {
      const run = await cli(['directory', 'import', join(root, 'examples/directory.json')], fx.env);
      return run.code === 0 ? run : undefined;
    });
    expect(imported.stdout).toMatch(/created 4/);
  }, 120_000);
});
