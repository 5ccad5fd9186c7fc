import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkMongo, checkNats } from './health-check';
import { containerRuntimeAvailable, startMongoContainer, startNatsContainer } from './containers';
import { startLocalMongo } from './local-mongo';
import { startLocalNats } from './local-nats';
import { InfraPaths, infraPaths } from './paths';

/** Where a piece of infrastructure came from, in the documented resolution order. */
export type InfraSource = 'env' | 'container' | 'local';

export interface ProvisionedInfra {
  natsUrl: string;
  mongoUrl: string;
  sources: { nats: InfraSource; mongo: InfraSource };
  stop(): Promise<void>;
}

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
}

export class InfraUnavailableError extends Error {
  readonly code = 'INFRA_UNAVAILABLE';
  constructor(what: 'NATS' | 'MongoDB', detail: string) {
    const install =
      what === 'NATS'
        ? 'set NATS_URL, start a container runtime (Docker/Podman), or install Go and run ./dev setup to build nats-server'
        : 'set MONGO_URL, start a container runtime (Docker/Podman), or install a JDK 17 and Maven and run ./dev setup';
    super(`no ${what} available: ${install} (${detail})`);
  }
}

/**
 * Resolution order (architecture.md, "Running it"): explicit NATS_URL / MONGO_URL →
 * containers where a runtime answers → the project's own local builds → one clear error.
 */
export async function provisionInfrastructure(opts: ProvisionOptions): Promise<ProvisionedInfra> {
  const env = opts.env ?? process.env;
  const paths = opts.paths ?? infraPaths(env);
  const step = opts.onStep ?? (() => undefined);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  const useContainers = !env['NATS_URL'] || !env['MONGO_URL'] ? await containerRuntimeAvailable(env) : false;
  const instance = opts.instance ?? opts.purpose;
  try {
    const nats = await provisionNats(env, paths, opts, useContainers, instance, step);
    stops.push(nats.stop);
    const mongo = await provisionMongo(env, paths, opts, useContainers, instance, step);
    stops.push(mongo.stop);
    if (opts.healthCheck ?? true) await healthCheck(nats, mongo, step);
    return { natsUrl: nats.url, mongoUrl: mongo.url, sources: { nats: nats.source, mongo: mongo.source }, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function healthCheck(nats: Provisioned, mongo: Provisioned, step: (m: string) => void): Promise<void> {
  await checkNats(nats.url).catch((err: Error) => {
    throw new InfraUnavailableError('NATS', `${nats.url} (${nats.source}) does not answer: ${err.message}`);
  });
  await checkMongo(mongo.url).catch((err: Error) => {
    throw new InfraUnavailableError('MongoDB', `${mongo.url.replace(/\/\/[^@/]+@/, '//***@')} (${mongo.source}) does not answer: ${err.message}`);
  });
  step('health-checked NATS (JetStream) and MongoDB');
}

interface Provisioned {
  url: string;
  source: InfraSource;
  stop: () => Promise<void>;
}

async function provisionNats(
  env: NodeJS.ProcessEnv, paths: InfraPaths, opts: ProvisionOptions, useContainers: boolean, instance: string, step: (m: string) => void,
): Promise<Provisioned> {
  if (env['NATS_URL']) return { url: env['NATS_URL'], source: 'env', stop: async () => undefined };
  if (useContainers) {
    step('starting NATS container');
    const c = await startNatsContainer();
    return { url: c.url, source: 'container', stop: c.stop };
  }
  step('starting local nats-server (JetStream)');
  const storeDir = join(paths.dataDir, opts.purpose === 'test' ? `tmp/nats-${instance}-${process.pid}-${Date.now()}` : `nats-${instance}`);
  try {
    const n = await startLocalNats(paths, { port: opts.natsPort, storeDir, name: `nats-${instance}` });
    const cleanup = opts.purpose === 'test' ? () => rmSync(storeDir, { recursive: true, force: true }) : () => undefined;
    return { url: n.url, source: 'local', stop: () => n.proc.stop().then(cleanup) };
  } catch (err) {
    throw new InfraUnavailableError('NATS', (err as Error).message);
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
    const m = await startLocalMongo(paths, { port: opts.mongoPort, backend, name: `mongo-${instance}` });
    return { url: m.url, source: 'local', stop: () => m.proc.stop() };
  } catch (err) {
    throw new InfraUnavailableError('MongoDB', (err as Error).message);
  }
}
