// Ingest as a real process for the process tests: bundled from src/main.ts the way
// scripts/bundle.mjs does (our libraries in, npm packages external), started with node, its
// ports read from the `service.started` log line.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { serviceNatsEnv, testGrpcSecurity } from '@inviteflow/testing';

const ROOT = resolve(__dirname, '../../..');

export function bundleIngest(outfile: string): void {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const external = [...Object.keys(pkg['dependencies'] ?? {}), ...Object.keys(pkg['devDependencies'] ?? {})];
  buildSync({
    absWorkingDir: ROOT, entryPoints: [join(ROOT, 'services/ingest/src/main.ts')], outfile, bundle: true,
    platform: 'node', format: 'cjs', target: 'node24', tsconfig: join(ROOT, 'services/ingest/tsconfig.json'),
    external: external.flatMap((name) => [name, `${name}/*`]), logLevel: 'silent',
  });
}

export interface IngestProcess {
  proc: ChildProcess;
  ports: Record<string, number>;
  /** Everything it logged so far. */
  output(): string;
  /** SIGKILL (kill -9) and wait for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts the bundle with `env` on top of the basics (every port 0, the run's NATS and gRPC credentials for ingest). */
export function startIngestProcess(bundle: string, env: Record<string, string>): Promise<IngestProcess> {
  const proc = spawn(process.execPath, [bundle], {
    env: {
      PATH: process.env['PATH'] ?? '', NODE_PATH: join(ROOT, 'node_modules'), ...serviceNatsEnv('ingest'), ...testGrpcSecurity().serviceEnv('ingest'),
      ACCEPT_DOMAINS: 'example.org', SMTP_PORT: '0', HEALTH_PORT: '0', GRPC_PORT: '0', LOG_LEVEL: 'info', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(sig);
    await exited;
  };
  return new Promise((done, fail) => {
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const started = /"event":"service.started","ports":(\{[^}]*\})/.exec(output);
      if (started) done({ proc, ports: JSON.parse(started[1]!) as Record<string, number>, output: () => output, kill9: () => signal('SIGKILL'), stop: () => signal('SIGTERM') });
    });
    proc.once('exit', (code) => fail(new Error(`ingest exited ${String(code)} before it started:\n${output}`)));
  });
}
