import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { serviceNatsEnv, startPrivateNats, testGrpcSecurity, testMongoUrl, uniqueSuffix } from '@inviteflow/testing';

const ROOT = join(__dirname, '../../..');

export interface IdentityProcess {
  /** host:port of its gRPC server. */
  address: string;
  stop(): Promise<void>;
}

/**
 * The real identity service as its own process, built from the current sources: the
 * appointment service only ever meets identity over gRPC, and a service may not import
 * another's code (lint module boundaries). Bundled here rather than taken from dist/, so the
 * test never runs a stale build. Runs against a NATS of its own (the real streams it provisions
 * would overlap other tests' streams on the run's shared server) and a fresh database.
 */
export async function startIdentityProcess(env: Record<string, string> = {}): Promise<IdentityProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'inviteflow-identity-'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: object; devDependencies?: object };
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
  await build({
    absWorkingDir: ROOT, entryPoints: ['services/identity/src/main.ts'], outfile: join(dir, 'main.js'), bundle: true, platform: 'node',
    format: 'cjs', tsconfig: 'services/identity/tsconfig.json', external: external.flatMap((n) => [n, `${n}/*`]), logLevel: 'warning',
  });
  const nats = await startPrivateNats('identity');
  const child = spawn(process.execPath, [join(dir, 'main.js')], {
    env: {
      ...process.env, NODE_PATH: join(ROOT, 'node_modules'), NATS_URL: nats.natsUrl, MONGO_URL: testMongoUrl(), MONGO_DB: `identity_${uniqueSuffix()}`,
      GRPC_HOST: '127.0.0.1', GRPC_PORT: '0', HEALTH_PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '5000',
      ...serviceNatsEnv('identity'), ...testGrpcSecurity().serviceEnv('identity'), ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanUp = async () => {
    rmSync(dir, { recursive: true, force: true });
    await nats.stop();
  };
  try {
    const port = await grpcPortOf(child);
    return { address: `127.0.0.1:${port}`, stop: async () => { child.kill('SIGTERM'); await exited; await cleanUp(); } };
  } catch (err) {
    child.kill('SIGKILL');
    await cleanUp();
    throw err;
  }
}

/** Waits for the one `service.started` log line and reads the gRPC port from it. */
function grpcPortOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`identity exited with ${code} while starting`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('service.started')) return;
      resolve((JSON.parse(line) as { ports: { grpc: number } }).ports.grpc);
    });
  });
}
