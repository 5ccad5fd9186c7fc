import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isAppError } from '@inviteflow/runtime';
import { clusterGrpcPki, type ClusterGrpc } from './cluster-grpc';
import { clusterMailSecurity } from './cluster-smtp-security';
import type { ClusterEvent } from './cluster.events';
import { LOCAL_LIVENESS_POLICY, watchLiveness, type LivenessPolicy } from './liveness.watch';
import { decideRestart, describeExit, LOCAL_RESTART_POLICY, RestartDecision, RestartPolicy } from './restart.policy';
import { ClusterSettings, KnownEndpoints, pinPorts, SERVICE_NAMES, SERVICE_NODE_FLAGS, ServiceName, serviceEnv } from './service-catalog';
import { ProcessExit, ServiceProcess, startServiceProcess, stopServiceProcess } from './service-process';

export interface ClusterEndpoints {
  smtp: string;
  identityGrpc: string;
  appointmentGrpc: string;
  outboundGrpc: string;
  /** ingest's MailboxService. */
  ingestGrpc: string;
  health: Partial<Record<ServiceName, string>>;
}

export interface RunningCluster {
  endpoints: ClusterEndpoints;
  processes: Map<ServiceName, ServiceProcess>;
  /** SIGKILL one service on purpose (fault tests): not restarted; `start` brings it back. */
  kill(name: ServiceName): Promise<void>;
  start(name: ServiceName): Promise<void>;
  /** SIGTERM in reverse start order; resolves with each service's exit code. */
  stop(): Promise<Partial<Record<ServiceName, number | null>>>;
  /** Resolves with the service the runner gave up on after repeated crashes. */
  readonly gaveUp: Promise<ServiceName>;
  /** gRPC credentials of this cluster's callers (the CLI's: `grpc.client('cli')`). */
  readonly grpc: ClusterGrpc;
}

export interface ClusterOptions {
  root: string;
  settings: ClusterSettings;
  logDir: string;
  onEvent?: (event: ClusterEvent) => void;
  restartPolicy?: RestartPolicy;
  /** How a live but unresponsive process is found (liveness.watch.ts); tests shorten it. */
  liveness?: LivenessPolicy;
  /** Where the throw-away gRPC CA, certificates and tokens go (default: `<logDir>/grpc-pki`). */
  grpcPkiDir?: string;
}

// Dependencies first: appointment needs identity's gRPC address; ingest starts last so
// nothing is accepted before the pipeline behind it can take it.
const START_ORDER: readonly ServiceName[] = ['identity', 'appointment', 'parser', 'outbound-mail', 'ingest'];
const START_TIMEOUT_MS = 30_000;
/** Above each service's own SHUTDOWN_TIMEOUT_MS (8 s, service-catalog.ts). */
export const SERVICE_STOP_BUDGET_MS = 15_000;

export async function startCluster(opts: ClusterOptions): Promise<RunningCluster> {
  mkdirSync(opts.logDir, { recursive: true });
  // Fresh every start (issue 15 §2): nothing to rotate, nothing reused from an earlier run.
  const grpc = clusterGrpcPki(opts.grpcPkiDir ?? join(opts.logDir, 'grpc-pki'), opts.settings.grpcPki);
  // STARTTLS certificate and sender-authentication zone (issue 15 pts 3-4), also fresh per start.
  const mailSecurity = await clusterMailSecurity(opts.root, join(opts.logDir, 'smtp-tls'), grpc.pki, opts.settings.mailSecurity);
  const cluster = new SupervisedCluster({ ...opts, settings: { ...opts.settings, grpcPki: grpc.pki, mailSecurity } }, grpc);
  try {
    for (const name of START_ORDER) await cluster.start(name);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

/**
 * The five services as child processes, each watched: one that ends without being asked to —
 * or stops answering `/healthz` and is killed for it (liveness.watch.ts) — is restarted with
 * backoff (restart.policy.ts), on the ports it had, until it crashes too often; then the
 * runner gives up on it and says so.
 */
class SupervisedCluster implements RunningCluster {
  endpoints: ClusterEndpoints;
  readonly processes = new Map<ServiceName, ServiceProcess>();
  readonly gaveUp: Promise<ServiceName>;
  private giveUp: (name: ServiceName) => void = () => undefined;
  private readonly known: KnownEndpoints = {};
  private readonly crashes = new Map<ServiceName, number[]>();
  private readonly lastPorts = new Map<ServiceName, Record<string, number>>();
  private readonly restartTimers = new Map<ServiceName, NodeJS.Timeout>();
  private readonly deliberate = new WeakSet<ServiceProcess>();
  /** Processes the liveness watch killed, with why (the crash line says it instead of "signal SIGKILL"). */
  private readonly unresponsive = new WeakMap<ServiceProcess, string>();
  private readonly starting = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(private readonly opts: ClusterOptions, readonly grpc: ClusterGrpc) {
    this.endpoints = endpointsOf(this.processes);
    this.gaveUp = new Promise((resolve) => { this.giveUp = resolve; });
  }

  private emit(event: ClusterEvent): void {
    this.opts.onEvent?.(event);
  }

  private logFile(name: ServiceName): string {
    return join(this.opts.logDir, `${name}.log`);
  }

  /** Starts one service; stop() waits for starts in flight, then stops what they started. */
  start(name: ServiceName, restart?: number): Promise<void> {
    const run = this.startNow(name, restart);
    this.starting.add(run);
    return run.finally(() => this.starting.delete(run));
  }

  private async startNow(name: ServiceName, restart?: number): Promise<void> {
    this.emit({ kind: 'starting', service: name, restart });
    const reported = restart ? this.lastPorts.get(name) : undefined;
    const settings = reported ? { ...this.opts.settings, ports: pinPorts(this.opts.settings.ports, name, reported) } : this.opts.settings;
    const p = await startServiceProcess({
      name, script: join(this.opts.root, 'dist/services', name, 'main.js'),
      env: serviceEnv(name, settings, this.known), nodeFlags: SERVICE_NODE_FLAGS[name], logFile: this.logFile(name), startTimeoutMs: START_TIMEOUT_MS,
    });
    this.processes.set(name, p);
    this.lastPorts.set(name, p.ports);
    if (name === 'identity') this.known.identityGrpc = `127.0.0.1:${p.ports['grpc']}`;
    if (name === 'appointment') this.known.appointmentGrpc = `127.0.0.1:${p.ports['grpc']}`;
    this.endpoints = endpointsOf(this.processes);
    this.emit({ kind: 'ready', service: name, ports: p.ports });
    const unwatch = watchLiveness({
      url: `http://127.0.0.1:${p.ports['health']}/healthz`, policy: this.opts.liveness ?? LOCAL_LIVENESS_POLICY,
      onDead: (how) => this.killUnresponsive(name, p, how),
    });
    void p.exited.then((exit) => {
      unwatch();
      this.onExit(name, p, exit);
    });
  }

  private killUnresponsive(name: ServiceName, p: ServiceProcess, how: string): void {
    if (this.stopping || this.deliberate.has(p) || this.processes.get(name) !== p) return;
    this.unresponsive.set(p, how);
    p.child.kill('SIGKILL');
  }

  private onExit(name: ServiceName, p: ServiceProcess, exit: ProcessExit): void {
    if (this.stopping || this.deliberate.has(p) || this.processes.get(name) !== p) return;
    this.processes.delete(name);
    this.onCrash(name, this.unresponsive.get(p) ?? describeExit(exit.code, exit.signal), exit);
  }

  private onCrash(name: ServiceName, how: string, exit?: ProcessExit): void {
    const policy = this.opts.restartPolicy ?? LOCAL_RESTART_POLICY;
    const { decision, crashes } = decideRestart(this.crashes.get(name) ?? [], Date.now(), policy);
    this.crashes.set(name, crashes);
    this.emit({ kind: 'crashed', service: name, exit, how, decision, policy, logFile: this.logFile(name) });
    if (decision.kind === 'give-up') this.giveUp(name);
    else this.scheduleRestart(name, decision);
  }

  private scheduleRestart(name: ServiceName, decision: Extract<RestartDecision, { kind: 'restart' }>): void {
    const timer = setTimeout(() => {
      this.restartTimers.delete(name);
      if (this.stopping) return;
      this.start(name, decision.restart).catch((err: unknown) => {
        // Died again while starting: that is the next crash of the same loop.
        const details = isAppError(err) ? err.details : undefined;
        const exit = details && 'code' in details ? { code: details['code'] as number | null, signal: details['signal'] as NodeJS.Signals | null } : undefined;
        if (!this.stopping) this.onCrash(name, exit ? `${describeExit(exit.code, exit.signal)} while starting` : (err as Error).message, exit);
      });
    }, decision.delayMs);
    this.restartTimers.set(name, timer);
  }

  private async stopOne(name: ServiceName): Promise<number | null | undefined> {
    const p = this.processes.get(name);
    if (!p) return undefined;
    this.emit({ kind: 'stopping', service: name });
    const outcome = await stopServiceProcess(p, 'SIGTERM', SERVICE_STOP_BUDGET_MS);
    this.processes.delete(name);
    this.emit({ kind: 'stopped', service: name, outcome, budgetMs: SERVICE_STOP_BUDGET_MS });
    return outcome.exit.code;
  }

  async stop(): Promise<Partial<Record<ServiceName, number | null>>> {
    this.stopping = true;
    for (const timer of this.restartTimers.values()) clearTimeout(timer);
    this.restartTimers.clear();
    await Promise.allSettled([...this.starting]);
    const codes: Partial<Record<ServiceName, number | null>> = {};
    for (const name of [...START_ORDER].reverse()) {
      const code = await this.stopOne(name);
      if (code !== undefined) codes[name] = code;
    }
    return codes;
  }

  async kill(name: ServiceName): Promise<void> {
    const p = this.processes.get(name);
    if (!p) return;
    this.deliberate.add(p);
    await stopServiceProcess(p, 'SIGKILL', 1000);
    this.processes.delete(name);
  }
}

function endpointsOf(processes: Map<ServiceName, ServiceProcess>): ClusterEndpoints {
  const port = (name: ServiceName, key: string): string => `127.0.0.1:${processes.get(name)?.ports[key] ?? 0}`;
  return {
    smtp: port('ingest', 'smtp'),
    identityGrpc: port('identity', 'grpc'),
    appointmentGrpc: port('appointment', 'grpc'),
    outboundGrpc: port('outbound-mail', 'grpc'),
    ingestGrpc: port('ingest', 'grpc'),
    health: Object.fromEntries(SERVICE_NAMES.map((n) => [n, port(n, 'health')])),
  };
}
