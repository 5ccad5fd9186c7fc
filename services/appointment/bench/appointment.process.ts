import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findWorkspaceRoot, testGrpcSecurity } from '@inviteflow/infra';

/** One appointment replica as the bench sees it, whichever way it was started. */
export interface Replica {
  /** The OS process running it: its own (process mode), or this one (in-process mode). */
  pid: number;
  healthPort: number;
  stop(): Promise<void>;
}

const bundle = join(findWorkspaceRoot(__dirname), 'dist/services/appointment/main.js');

/**
 * The built appointment service (dist/services/appointment/main.js; `./dev bench` builds it
 * first) as its own OS process, resolved on its `service.started` log line. Its log lines
 * after that are read and dropped: production logs at info, so the bench pays for it too.
 */
export function startAppointmentProcess(env: Record<string, string>): Promise<Replica> {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run ./dev bench (it builds first) or npx nx run appointment:build`);
  const child = spawn(process.execPath, [bundle], {
    env: { ...process.env, ...testGrpcSecurity().serviceEnv('appointment'), GRPC_HOST: '127.0.0.1', GRPC_PORT: '0', HEALTH_PORT: '0', SHUTDOWN_TIMEOUT_MS: '5000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('appointment did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`appointment exited with ${code} while starting`)));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.includes('service.started')) return;
      clearTimeout(timer);
      lines.close();
      child.stdout!.resume();
      const healthPort = (JSON.parse(line) as { ports: { health: number } }).ports.health;
      resolve({
        pid: child.pid!, healthPort,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
