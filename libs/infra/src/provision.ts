import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkMongo, checkNats } from './health-check';
import { containerRuntimeAvailable, startMongoContainer, startNatsContainer } from './containers';
import { startLocalMongo } from './local-mongo';
import { startLocalNats } from './local-nats';
import { InfraPaths, infraPaths } from './paths';
import type { StopReport } from './child-process';
import { infraUnavailable } from './infra.errors';
import { ensureNatsCredentials, NATS_AUTH_OFF_WARNING, natsAuthDisabled, type NatsCredentialSet } from './nats-credentials';

/** Where a piece of infrastructure came from, in the documented resolution order. */
export type InfraSource = 'env' | 'container' | 'local';

export interface ProvisionedInfra {
  natsUrl: string;
  mongoUrl: string;
  sources: { nats: InfraSource; mongo: InfraSource };
  /**
   * Each identity's nkey seed file, for the NATS started here with authorization on; for an
   * env NATS_URL, the set in `natsCredentialsDir` if one was named. None when auth is off.
   */
  natsCredentials?: NatsCredentialSet;
  /** Stops what was started here (reverse order); one report per local process stopped. */
  stop(): Promise<StopReport[]>;
}

/**
 * nats-server's JetStream shutdown writes every consumer's state with O_SYNC, one after
 * another (~10 ms each on a busy disk: 300 consumers took 3–5 s here), so it gets more
 * than the default 10 s before it is killed mid-write.
 */
const NATS_STOP_BUDGET_MS = 30_000;

export interface ProvisionOptions {
  /** 'test': throw-away state (memory backend, temp JetStream dir). 'local': durable under .data. */
  purpose: 'test' | 'local';
  env?: NodeJS.ProcessEnv;
  paths?: InfraPaths;
  /** Fixed ports for a local cluster; 0 (default) lets the servers choose. */
  natsPort?: number;
  mongoPort?: number;
  /** Distinguishes log files and data dirs when several sets run at once. */
  instance?: string;
  onStep?: (message: string) => void;
  /** Round-trip check of both before returning (default true). */
  healthCheck?: boolean;
  /**
   * Where the NATS credentials live (created if missing, kept afterwards), else the env's
   * INVITEFLOW_NATS_CREDENTIALS_DIR (how a Jest run shares its one set with every server it
   * starts). Default: `.data/nats-auth-<instance>` for 'local', a throw-away directory beside
   * the JetStream store for 'test'.
   */
  natsCredentialsDir?: string;
}

/**
 * Resolution order (architecture.md, "Running it"): explicit NATS_URL / MONGO_URL →
 * containers where a runtime answers → the project's own local builds → one clear error.
 */
export async function provisionInfrastructure(opts: ProvisionOptions): Promise<ProvisionedInfra> {
  const env = opts.env ?? process.env;
  const paths = opts.paths ?? infraPaths(env);
  const step = opts.onStep ?? (() => undefined);
  const stops: Array<() => Promise<StopReport | void>> = [];
  const stopAll = async (): Promise<StopReport[]> => {
    const reports: StopReport[] = [];
    for (const stop of stops.reverse()) {
      const report = await stop().catch(() => undefined);
      if (report) reports.push(report);
    }
    return reports;
  };
  const useContainers = !env['NATS_URL'] || !env['MONGO_URL'] ? await containerRuntimeAvailable(env) : false;
  const instance = opts.instance ?? opts.purpose;
  try {
    const credentials = natsCredentialsFor(env, paths, opts, instance, step);
    const nats = await provisionNats(env, paths, opts, useContainers, instance, step, credentials);
    stops.push(nats.stop);
    const mongo = await provisionMongo(env, paths, opts, useContainers, instance, step);
    stops.push(mongo.stop);
    if (opts.healthCheck ?? true) await healthCheck(nats, mongo, step, credentials);
    return { natsUrl: nats.url, mongoUrl: mongo.url, sources: { nats: nats.source, mongo: mongo.source }, natsCredentials: credentials, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Authorization is on unless INVITEFLOW_NATS_AUTH=off says otherwise (then loudly). A server
 * from NATS_URL is someone else's: its credentials only if a directory was named.
 */
function natsCredentialsFor(
  env: NodeJS.ProcessEnv, paths: InfraPaths, opts: ProvisionOptions, instance: string, step: (m: string) => void,
): NatsCredentialSet | undefined {
  if (natsAuthDisabled(env)) {
    step(NATS_AUTH_OFF_WARNING);
    return undefined;
  }
  const shared = sharedCredentialsDir(env, opts);
  if (env['NATS_URL']) return shared ? ensureNatsCredentials(shared) : undefined;
  const dir = shared
    ?? join(paths.dataDir, opts.purpose === 'test' ? `tmp/nats-auth-${instance}-${process.pid}-${Date.now()}` : `nats-auth-${instance}`);
  const credentials = ensureNatsCredentials(dir);
  step(`NATS authorization on: one nkey per service (seeds in ${dir})`);
  return credentials;
}

function sharedCredentialsDir(env: NodeJS.ProcessEnv, opts: ProvisionOptions): string | undefined {
  return opts.natsCredentialsDir || env['INVITEFLOW_NATS_CREDENTIALS_DIR'] || undefined;
}

async function healthCheck(nats: Provisioned, mongo: Provisioned, step: (m: string) => void, credentials?: NatsCredentialSet): Promise<void> {
  // A signed CONNECT costs ~30 ms of CPU (pure-JS Ed25519); on a starved 2-core machine the
  // handshake alone has taken seconds, so the deadline is generous (a ready server answers at once).
  await checkNats(nats.url, 20_000, credentials?.seedFile('cli')).catch((err: Error) => {
    throw infraUnavailable('NATS', `${nats.url} (${nats.source}) does not answer: ${err.message}`, err);
  });
  await checkMongo(mongo.url).catch((err: Error) => {
    throw infraUnavailable('MongoDB', `${mongo.url.replace(/\/\/[^@/]+@/, '//***@')} (${mongo.source}) does not answer: ${err.message}`, err);
  });
  step('health-checked NATS (JetStream) and MongoDB');
}

interface Provisioned {
  url: string;
  source: InfraSource;
  stop: () => Promise<StopReport | void>;
}

async function provisionNats(
  env: NodeJS.ProcessEnv, paths: InfraPaths, opts: ProvisionOptions, useContainers: boolean, instance: string, step: (m: string) => void,
  credentials: NatsCredentialSet | undefined,
): Promise<Provisioned> {
  if (env['NATS_URL']) return { url: env['NATS_URL'], source: 'env', stop: async () => undefined };
  if (useContainers) {
    step('starting NATS container');
    const c = await startNatsContainer(credentials);
    return { url: c.url, source: 'container', stop: c.stop };
  }
  step('starting local nats-server (JetStream)');
  const storeDir = join(paths.dataDir, opts.purpose === 'test' ? `tmp/nats-${instance}-${process.pid}-${Date.now()}` : `nats-${instance}`);
  try {
    const n = await startLocalNats(paths, { port: opts.natsPort, storeDir, name: `nats-${instance}`, ownProcessGroup: opts.purpose === 'local', credentials });
    // A test's throw-away credentials go with its store; a shared or local set stays.
    const ownKeys = opts.purpose === 'test' && credentials && !sharedCredentialsDir(env, opts) ? credentials.dir : undefined;
    const cleanup = opts.purpose === 'test'
      ? () => { rmSync(storeDir, { recursive: true, force: true }); if (ownKeys) rmSync(ownKeys, { recursive: true, force: true }); }
      : () => undefined;
    return { url: n.url, source: 'local', stop: () => n.proc.stop(NATS_STOP_BUDGET_MS).then((report) => { cleanup(); return report; }) };
  } catch (err) {
    throw infraUnavailable('NATS', (err as Error).message, err);
  }
}

async function provisionMongo(
  env: NodeJS.ProcessEnv, paths: InfraPaths, opts: ProvisionOptions, useContainers: boolean, instance: string, step: (m: string) => void,
): Promise<Provisioned> {
  if (env['MONGO_URL']) return { url: env['MONGO_URL'], source: 'env', stop: async () => undefined };
  if (useContainers) {
    step('starting MongoDB container');
    const c = await startMongoContainer();
    return { url: c.url, source: 'container', stop: c.stop };
  }
  step(`starting local MongoDB stand-in (${opts.purpose === 'test' ? 'memory' : 'H2 file'} backend)`);
  const backend = opts.purpose === 'test'
    ? ({ kind: 'memory' } as const)
    : ({ kind: 'h2', file: join(paths.dataDir, `mongo-${instance}`, 'inviteflow.mv.db') } as const);
  try {
    const m = await startLocalMongo(paths, { port: opts.mongoPort, backend, name: `mongo-${instance}`, ownProcessGroup: opts.purpose === 'local' });
    return { url: m.url, source: 'local', stop: () => m.proc.stop() };
  } catch (err) {
    throw infraUnavailable('MongoDB', (err as Error).message, err);
  }
}
