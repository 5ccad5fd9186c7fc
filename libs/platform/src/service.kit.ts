import { STREAMS } from '@inviteflow/contracts';
import { followReadiness } from './readiness.follower';
import { connectNats, natsAuthFromConfig, NatsHandle, provisionStreams, registerBacklogMetrics } from '@inviteflow/messaging';
import type { MongoConnection } from '@inviteflow/mongo';
import {
  Check, createLogger, createMetrics, Logger, Metrics, runShutdown, ShutdownResult, ShutdownStep, startHealthServer,
} from '@inviteflow/runtime';
import type pino from 'pino';

/**
 * A service that `start(config)` brought up. `main.ts` hands `stop` to the signal handler;
 * component tests call it directly, so both run the same ordered shutdown.
 */
export interface RunningService {
  readonly service: string;
  /** Every bound port by name (`health` always; `grpc`, `smtp` where the service has them). */
  readonly ports: Readonly<Record<string, number>>;
  readonly log: Logger;
  readonly shutdownTimeoutMs: number;
  /** Stop intake, finish in-flight work, close connections; resolves with what each step did. */
  stop(): Promise<ShutdownResult>;
}

/** What every service's `start` accepts besides its config (tests pass these). */
export interface StartOptions {
  /** Where log lines go (default stdout); tests capture or silence them. */
  readonly logDestination?: pino.DestinationStream;
}

/** What every service needs before its own wiring: config, log, metrics, connections. */
export interface ServiceKit<C> {
  config: C;
  log: Logger;
  metrics: Metrics;
  nats: NatsHandle | undefined;
  mongo: MongoConnection | undefined;
  /**
   * Starts the health server and logs the one `service.started` line (with every bound port)
   * that the local cluster runner waits for. Returns the running service, whose `stop` runs
   * the `stopIntake` steps first (stop pulling / listening, finish in-flight), then drains
   * NATS, closes MongoDB and closes the health server.
   */
  started(
    ports: Record<string, number>,
    stopIntake: ShutdownStep[],
    checks?: Record<string, Check>,
    grpc?: { setServing(serving: boolean): void },
  ): Promise<RunningService>;
}

export interface KitConfigShape {
  logLevel: string;
  healthHost: string;
  healthPort: number;
  shutdownTimeoutMs: number;
}

export async function bootService<C extends KitConfigShape>(opts: {
  service: string;
  config: C;
  options?: StartOptions;
  nats?: (config: C) => string[];
  mongo?: (config: C) => { url: string; dbName: string };
}): Promise<ServiceKit<C>> {
  const { config, service } = opts;
  const log = createLogger({ service, level: config.logLevel as never, destination: opts.options?.logDestination });
  const metrics = createMetrics(service);
  // Loaded only by services that use MongoDB: the driver costs ~15 MiB resident at load (bson
  // pre-allocates a 17 MiB buffer), which ingest's memory bound (issue 8) has no room for.
  const mongo = opts.mongo
    ? await (await import('@inviteflow/mongo')).connectMongo({ ...opts.mongo(config), appName: service })
    : undefined;
  // Credentials from the shared natsConfig fields (NATS_AUTH, NATS_NKEY_SEED_FILE, NATS_TLS_*).
  const natsAuth = () => natsAuthFromConfig(config as Parameters<typeof natsAuthFromConfig>[0]);
  const nats = opts.nats ? await Promise.resolve().then(() => connectNats({ servers: opts.nats!(config), name: service, log, auth: natsAuth() })).catch(async (err: unknown) => {
    await mongo?.close();
    throw err;
  }) : undefined;
  // Closes what boot opened when provisioning fails, so a failed start leaks no connection.
  const abort = async (): Promise<void> => {
    await nats?.drain().catch(() => undefined);
    await mongo?.close().catch(() => undefined);
  };
  // Every service provisions every stream idempotently, so start order does not matter.
  const replicas = (config as unknown as { natsStreamReplicas?: number }).natsStreamReplicas ?? 1;
  if (nats) await provisionStreams(nats.jsm, Object.values(STREAMS), { replicas }).catch(async (err: unknown) => {
    await abort();
    throw err;
  });
  // Backlog and dead-letter gauges for the alert rules (k8s/alerts; issue 14 §4).
  if (nats) registerBacklogMetrics(metrics, nats.jsm);

  const started: ServiceKit<C>['started'] = async (ports, stopIntake, checks = {}, grpc) => {
    const ready: Record<string, Check> = { ...checks };
    if (nats) ready['nats'] = () => nats.isConnected();
    if (mongo) ready['mongo'] = () => mongo.ping();
    const health = await startHealthServer({ host: config.healthHost, port: config.healthPort, ready, registry: metrics.registry, log });
    const follower = grpc ? followReadiness(ready, (serving) => grpc.setServing(serving)) : undefined;
    const steps: ShutdownStep[] = [
      { name: 'readiness-off', run: () => { follower?.stop(); grpc?.setServing(false); health.setReady(false); } },
      ...stopIntake,
      ...(nats ? [{ name: 'nats-drain', run: () => nats.drain() }] : []),
      ...(mongo ? [{ name: 'mongo-close', run: () => mongo.close() }] : []),
      { name: 'health-close', run: () => health.close() },
    ];
    let stopping: Promise<ShutdownResult> | undefined;
    const allPorts = { ...ports, health: health.port };
    log.info({ event: 'service.started', ports: allPorts }, `${service} started`);
    return {
      service, ports: allPorts, log, shutdownTimeoutMs: config.shutdownTimeoutMs,
      // Idempotent: a signal and a test's afterAll may both ask.
      stop: () => (stopping ??= runShutdown(steps, log, config.shutdownTimeoutMs)),
    };
  };
  return { config, log, metrics, nats, mongo, started };
}
