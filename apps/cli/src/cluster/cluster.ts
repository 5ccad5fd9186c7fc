import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterSettings, KnownEndpoints, SERVICE_NAMES, ServiceName, serviceEnv } from './service-catalog';
import { ServiceProcess, startServiceProcess, stopServiceProcess } from './service-process';

export interface ClusterEndpoints {
  smtp: string;
  identityGrpc: string;
  appointmentGrpc: string;
  health: Partial<Record<ServiceName, string>>;
}

export interface RunningCluster {
  endpoints: ClusterEndpoints;
  processes: Map<ServiceName, ServiceProcess>;
  /** SIGKILL one service (fault tests), then `start` brings it back with the same settings. */
  kill(name: ServiceName): Promise<void>;
  start(name: ServiceName): Promise<void>;
  /** SIGTERM in reverse start order; resolves with each service's exit code. */
  stop(): Promise<Partial<Record<ServiceName, number | null>>>;
}

export interface ClusterOptions {
  root: string;
  settings: ClusterSettings;
  logDir: string;
  onStatus?: (service: ServiceName, status: 'starting' | 'ready' | 'stopping' | 'stopped', detail?: string) => void;
}

// Dependencies first: appointment needs identity's gRPC address; ingest starts last so
// nothing is accepted before the pipeline behind it can take it.
const START_ORDER: readonly ServiceName[] = ['identity', 'appointment', 'parser', 'outbound-mail', 'ingest'];

export async function startCluster(opts: ClusterOptions): Promise<RunningCluster> {
  mkdirSync(opts.logDir, { recursive: true });
  const processes = new Map<ServiceName, ServiceProcess>();
  const known: KnownEndpoints = {};
  const status = opts.onStatus ?? (() => undefined);

  const start = async (name: ServiceName): Promise<void> => {
    status(name, 'starting');
    const p = await startServiceProcess({
      name,
      script: join(opts.root, 'dist/services', name, 'main.js'),
      env: serviceEnv(name, opts.settings, known),
      logFile: join(opts.logDir, `${name}.log`),
      startTimeoutMs: 30_000,
    });
    processes.set(name, p);
    if (name === 'identity') known.identityGrpc = `127.0.0.1:${p.ports['grpc']}`;
    status(name, 'ready', describePorts(p.ports));
  };

  const stop = async (): Promise<Partial<Record<ServiceName, number | null>>> => {
    const codes: Partial<Record<ServiceName, number | null>> = {};
    for (const name of [...START_ORDER].reverse()) {
      const p = processes.get(name);
      if (!p) continue;
      status(name, 'stopping');
      codes[name] = await stopServiceProcess(p, 'SIGTERM', 15_000);
      processes.delete(name);
      status(name, 'stopped', `exit ${codes[name]}`);
    }
    return codes;
  };

  try {
    for (const name of START_ORDER) await start(name);
  } catch (err) {
    await stop();
    throw err;
  }
  const cluster: RunningCluster = {
    endpoints: endpointsOf(processes),
    processes,
    stop,
    start: async (name) => {
      await start(name);
      cluster.endpoints = endpointsOf(processes);
    },
    kill: async (name) => {
      const p = processes.get(name);
      if (!p) return;
      await stopServiceProcess(p, 'SIGKILL', 1000);
      processes.delete(name);
    },
  };
  return cluster;
}

function endpointsOf(processes: Map<ServiceName, ServiceProcess>): ClusterEndpoints {
  const port = (name: ServiceName, key: string): string => `127.0.0.1:${processes.get(name)?.ports[key] ?? 0}`;
  return {
    smtp: port('ingest', 'smtp'),
    identityGrpc: port('identity', 'grpc'),
    appointmentGrpc: port('appointment', 'grpc'),
    health: Object.fromEntries(SERVICE_NAMES.map((n) => [n, port(n, 'health')])),
  };
}

function describePorts(ports: Record<string, number>): string {
  return Object.entries(ports).map(([k, v]) => `${k}=${v}`).join(' ');
}
