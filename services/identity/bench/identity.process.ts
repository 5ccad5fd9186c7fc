import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { testGrpcSecurity } from '@inviteflow/infra';

export interface IdentityProcess {
  child: ChildProcess;
  grpcPort: number;
  /** Resident set size of the process now, in MiB (/proc/<pid>/status VmRSS). */
  rssMiB(): number;
  stop(): Promise<void>;
}

/**
 * The Node/V8 flags identity's image runs with: its Dockerfile's CMD between `node` and the
 * script (k8s/tests/images.unit.test.ts keeps them equal to the cluster runner's), so the
 * bench's memory figures are measured under the same heap cap as in production.
 */
export function imageNodeFlags(root: string): string[] {
  // BENCH_NODE_FLAGS=none: Node's defaults, to measure what the flags cost or save side by side.
  if (process.env['BENCH_NODE_FLAGS'] === 'none') return [];
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(readFileSync(join(root, 'services/identity/Dockerfile'), 'utf8'))?.[1];
  if (!cmd) throw new Error('services/identity/Dockerfile has no exec-form CMD to take the Node flags from');
  return (JSON.parse(cmd) as string[]).slice(1, -1);
}

/** The built identity service (dist/services/identity/main.js) as its own process, with its image's Node flags. */
export function startIdentityProcess(root: string, env: Record<string, string>): Promise<IdentityProcess> {
  const child = spawn(process.execPath, [...imageNodeFlags(root), join(root, 'dist/services/identity/main.js')], {
    env: { ...process.env, ...testGrpcSecurity().serviceEnv('identity'), LOG_LEVEL: 'info', HEALTH_PORT: '0', GRPC_PORT: '0', GRPC_HOST: '127.0.0.1', SHUTDOWN_TIMEOUT_MS: '5000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('identity did not start in 60 s')), 60_000);
    // Its log goes to stdout: the last line says why it stopped (e.g. a fatal CONFIG_INVALID).
    let lastLine = '';
    child.once('exit', (code) => reject(new Error(`identity exited with ${code} while starting; its last log line: ${lastLine}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lastLine = line;
      if (!line.includes('service.started')) return;
      clearTimeout(timer);
      const grpcPort = (JSON.parse(line) as { ports: { grpc: number } }).ports.grpc;
      resolve({
        child, grpcPort,
        rssMiB: () => rssMiB(child.pid!),
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

export function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 1024);
}
