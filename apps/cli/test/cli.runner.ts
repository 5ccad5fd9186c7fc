import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@inviteflow/infra';
import { cliGrpcEnv } from '../src/cluster/cluster-grpc';
import { startTestCluster, type TestCluster } from './cluster.harness';

const root = findWorkspaceRoot(__dirname);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment that points the built CLI at a test cluster. */
export function cliEnv(t: TestCluster): Record<string, string> {
  return {
    INVITEFLOW_NATS_URL: t.infra.natsUrl,
    // The operator's credential, as `./dev up` hands it to the CLI through cluster.json.
    ...(t.infra.natsCredentials ? { INVITEFLOW_NATS_NKEY_SEED_FILE: t.infra.natsCredentials.seedFile('cli') } : {}),
    INVITEFLOW_SMTP: t.cluster.endpoints.smtp,
    INVITEFLOW_IDENTITY_GRPC: t.cluster.endpoints.identityGrpc,
    INVITEFLOW_APPOINTMENT_GRPC: t.cluster.endpoints.appointmentGrpc,
    INVITEFLOW_OUTBOUND_GRPC: t.cluster.endpoints.outboundGrpc,
    INVITEFLOW_INGEST_GRPC: t.cluster.endpoints.ingestGrpc,
    // The CLI's gRPC credential, as `./dev up` hands it over through cluster.json (issue 15 §2).
    ...cliGrpcEnv(t.cluster.grpc),
  };
}


/** Runs the built CLI (dist/apps/cli) as a person would. */
export function cli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'dist/apps/cli/main.js'), ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs it with --json and parses stdout. */
export async function cliJson<T>(args: string[], env: Record<string, string>): Promise<{ code: number; body: T; stderr: string }> {
  const run = await cli([...args, '--json'], env);
  try {
    return { code: run.code, body: JSON.parse(run.stdout) as T, stderr: run.stderr };
  } catch {
    throw new Error(`inviteflow ${args.join(' ')} --json printed no JSON (exit ${run.code}): ${run.stdout}${run.stderr}`);
  }
}

/** A test cluster for one file, and the environment that points the CLI at it. */
export interface CliClusterFixture {
  readonly t: TestCluster;
  readonly env: Record<string, string>;
}

/** Starts the cluster before the file's tests and stops it after them; read the fields inside tests. */
export function useCliCluster(domains: string[], opts: Parameters<typeof startTestCluster>[1] = {}): CliClusterFixture {
  const fx = {} as { t: TestCluster; env: Record<string, string> };
  beforeAll(async () => {
    fx.t = await startTestCluster(domains, opts);
    fx.env = cliEnv(fx.t);
  }, 90_000);
  afterAll(async () => {
    await fx.t?.stop();
  }, 60_000);
  return fx;
}
