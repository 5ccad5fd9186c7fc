// The cluster `./dev load` drives: the running local one (`./dev up`, found through
// .data/cluster.json), or one it starts itself (own infrastructure instance `load-<pid>`, fresh data,
// ephemeral ports), with the processes whose counters it reads.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { infraPaths, provisionInfrastructure, type InfraPaths, type ProvisionedInfra } from '@inviteflow/infra';
import { natsAuthOptions } from '@inviteflow/messaging';
import { startCluster, type RunningCluster } from '../src/cluster/cluster';
import { cliGrpcEnv } from '../src/cluster/cluster-grpc';
import { describeEvent } from '../src/cluster/cluster.events';
import { EPHEMERAL_PORTS, SERVICE_NAMES, type ClusterSettings } from '../src/cluster/service-catalog';
import { clusterFile } from '../src/endpoints';
import { findPids, type Watched } from './proc-stats';

export interface LoadTarget {
  /** 'own': started here (and stopped at the end); 'attached': `./dev up`'s. */
  kind: 'own' | 'attached';
  smtp: string;
  /** Environment for a CLI process pointed at this cluster (its gRPC address and credential). */
  cliEnv: Record<string, string>;
  natsUrl: string;
  natsSeedFile?: string;
  mongoUrl: string;
  /** The appointment service's database (meetings are counted and preloaded there). */
  appointmentDb: string;
  domain: string;
  /** The five services, nats-server and the MongoDB stand-in, as they run now. */
  processes(): Watched[];
  /** Own cluster only: stop the services and start them again with extra environment (a profiling run). */
  restartServices?(env: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

const LOCAL_MONGO_URL = 'mongodb://127.0.0.1:27217/?directConnection=true';

/** The running local cluster, if `.data/cluster.json` names one whose SMTP port is ours to find. */
export function attachedCluster(domain: string): LoadTarget | undefined {
  const file = clusterFile();
  if (!existsSync(file)) return undefined;
  const ep = JSON.parse(readFileSync(file, 'utf8')) as { natsUrl: string; natsSeedFile?: string; smtp: string };
  const target: LoadTarget = {
    // The CLI finds `./dev up`'s endpoints and credentials in .data/cluster.json itself.
    kind: 'attached', smtp: ep.smtp, cliEnv: {}, natsUrl: ep.natsUrl, natsSeedFile: ep.natsSeedFile,
    mongoUrl: process.env['MONGO_URL'] ?? LOCAL_MONGO_URL, appointmentDb: 'inviteflow_appointment', domain,
    processes: () => discover(ep.natsUrl, '/nats-local ', '/mongo-local/'),
    stop: async () => undefined,
  };
  return target.processes().some((p) => p.name === 'ingest') ? target : undefined;
}

/** A cluster of the load run's own: H2-backed stand-in as `./dev up` has, fresh data each run. */
export async function ownCluster(domain: string, say: (m: string) => void): Promise<LoadTarget> {
  const paths = infraPaths();
  // An instance of its own per run: a load run beside `./dev up` or another run shares nothing.
  const instance = `load-${process.pid}`;
  const infra = await provisionInfrastructure({ purpose: 'local', instance, onStep: say });
  const settings: ClusterSettings = {
    natsUrl: infra.natsUrl, mongoUrl: infra.mongoUrl, dbPrefix: 'load_', ports: EPHEMERAL_PORTS, acceptDomains: [domain], logLevel: 'info',
    natsCredentials: infra.natsCredentials,
  };
  let cluster: RunningCluster;
  const start = async (): Promise<RunningCluster> =>
    startCluster({
      root: paths.root, logDir: join(paths.logDir, 'load'), grpcPkiDir: join(paths.dataDir, `grpc-pki-${instance}`), settings,
      onEvent: (e) => e.kind === 'crashed' && say(describeEvent(e)),
    });
  try {
    cluster = await start();
  } catch (err) {
    await infra.stop();
    removeData(paths, instance);
    throw err;
  }
  return {
    kind: 'own', natsUrl: infra.natsUrl,
    // A restart (the profiling run) puts ingest on a new port: read it each time.
    get smtp() { return cluster.endpoints.smtp; },
    cliEnv: { ...cliGrpcEnv(cluster.grpc), INVITEFLOW_IDENTITY_GRPC: cluster.endpoints.identityGrpc },
    natsSeedFile: infra.natsCredentials?.seedFile('cli'), mongoUrl: infra.mongoUrl, appointmentDb: 'load_appointment', domain,
    processes: () => [
      ...[...cluster.processes].map(([name, p]) => ({ name, pid: p.child.pid ?? 0 })),
      ...infraProcesses(paths, instance),
    ],
    restartServices: async (env) => {
      await cluster.stop();
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        cluster = await start();
      } finally {
        for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
      }
    },
    stop: async () => stopOwn(cluster, infra, paths, instance),
  };
}

async function stopOwn(cluster: RunningCluster, infra: ProvisionedInfra, paths: InfraPaths, instance: string): Promise<void> {
  await cluster.stop();
  await infra.stop();
  removeData(paths, instance);
}

function removeData(paths: InfraPaths, instance: string): void {
  for (const dir of [`nats-${instance}`, `mongo-${instance}`, `nats-auth-${instance}`, `grpc-pki-${instance}`]) rmSync(join(paths.dataDir, dir), { recursive: true, force: true });
}

function infraProcesses(paths: InfraPaths, instance: string): Watched[] {
  return [
    ...findPids(['nats-server', `${join(paths.dataDir, `nats-${instance}`)} `]).slice(0, 1).map((pid) => ({ name: 'nats-server', pid })),
    ...findPids(['MongoStandIn', `${join(paths.dataDir, `mongo-${instance}`)}/`]).slice(0, 1).map((pid) => ({ name: 'mongo-stand-in', pid })),
  ];
}

/** The services whose NATS_URL is the cluster's, and its nats-server and stand-in by their data directories. */
function discover(natsUrl: string, natsDir: string, mongoDir: string): Watched[] {
  const services = SERVICE_NAMES.flatMap((name) => findPids([`dist/services/${name}/main.js`], { NATS_URL: natsUrl }).slice(0, 1).map((pid) => ({ name, pid })));
  return [
    ...services,
    ...findPids(['nats-server', natsDir]).slice(0, 1).map((pid) => ({ name: 'nats-server', pid })),
    ...findPids(['MongoStandIn', mongoDir]).slice(0, 1).map((pid) => ({ name: 'mongo-stand-in', pid })),
  ];
}

export function natsConnect(target: LoadTarget): Promise<NatsConnection> {
  const auth = target.natsSeedFile ? { mode: 'nkey' as const, seedFile: target.natsSeedFile } : undefined;
  return connect({ servers: target.natsUrl, name: 'inviteflow-load', maxReconnectAttempts: -1, ...natsAuthOptions(auth) });
}

export { infraPaths };
