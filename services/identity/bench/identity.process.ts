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

/** The built identity service (dist/services/identity/main.js) as its own process. */
export function startIdentityProcess(root: string, env: Record<string, string>): Promise<IdentityProcess> {
  const child = spawn(process.execPath, [join(root, 'dist/services/identity/main.js')], {
    env: { ...process.env, ...testGrpcSecurity().serviceEnv('identity'), LOG_LEVEL: 'info', HEALTH_PORT: '0', GRPC_PORT: '0', GRPC_HOST: '127.0.0.1', SHUTDOWN_TIMEOUT_MS: '5000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('identity did not start in 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`identity exited with ${code} while starting`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
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
