import { STREAMS } from '@inviteflow/contracts';
import { followReadiness } from './readiness.follower';
import { connectNats, NatsHandle, provisionStreams } from '@inviteflow/messaging';
import { connectMongo, MongoConnection } from '@inviteflow/mongo';
import {
  ConfigOf, ConfigSchema, createLogger, createMetrics, loadConfig, Logger, Metrics, onShutdown, printConfigIfAsked,
  ShutdownStep, startHealthServer, Check,
} from '@inviteflow/runtime';

/** What every service needs before its own wiring: config, log, metrics, connections. */
export interface ServiceKit<T extends ConfigSchema> {
  config: ConfigOf<T>;
  log: Logger;
  metrics: Metrics;
  nats: NatsHandle | undefined;
  mongo: MongoConnection | undefined;
  /**
   * Starts the health server, registers graceful shutdown and logs the one
   * `service.started` line (with every bound port) that the local cluster runner waits for.
   * `stopIntake` steps run first on SIGTERM (stop pulling / listening, finish in-flight),
   * then NATS drains, MongoDB closes and the health server closes.
   */
  started(
    ports: Record<string, number>,
    stopIntake: ShutdownStep[],
    checks?: Record<string, Check>,
    grpc?: { setServing(serving: boolean): void },
  ): Promise<void>;
}

export interface KitConfigShape {
  logLevel: string;
  healthHost: string;
  healthPort: number;
  shutdownTimeoutMs: number;
}

export async function bootService<T extends ConfigSchema>(opts: {
  service: string;
  schema: T;
  env?: NodeJS.ProcessEnv;
  nats?: (config: ConfigOf<T>) => string[];
  mongo?: (config: ConfigOf<T>) => { url: string; dbName: string };
}): Promise<ServiceKit<T>> {
  const env = opts.env ?? process.env;
  const config = loadConfig(opts.schema, env, { service: opts.service });
  printConfigIfAsked(config, opts.schema, { env });
  const base = config as unknown as KitConfigShape;
  const log = createLogger({ service: opts.service, level: base.logLevel as never });
  const metrics = createMetrics(opts.service);
  const mongo = opts.mongo ? await connectMongo({ ...opts.mongo(config), appName: opts.service }) : undefined;
  const nats = opts.nats ? await connectNats({ servers: opts.nats(config), name: opts.service, log }) : undefined;
  // Every service provisions every stream idempotently, so start order does not matter.
  const replicas = (config as unknown as { natsStreamReplicas?: number }).natsStreamReplicas ?? 1;
  if (nats) await provisionStreams(nats.jsm, Object.values(STREAMS), { replicas });

  const started: ServiceKit<T>['started'] = async (ports, stopIntake, checks = {}, grpc) => {
    const ready: Record<string, Check> = { ...checks };
    if (nats) ready['nats'] = () => nats.isConnected();
    if (mongo) ready['mongo'] = () => mongo.ping();
    const health = await startHealthServer({ host: base.healthHost, port: base.healthPort, ready, registry: metrics.registry, log });
    const follower = grpc ? followReadiness(ready, (serving) => grpc.setServing(serving)) : undefined;
    onShutdown(log, base.shutdownTimeoutMs, [
      { name: 'readiness-off', run: () => { follower?.stop(); grpc?.setServing(false); health.setReady(false); } },
      ...stopIntake,
      ...(nats ? [{ name: 'nats-drain', run: () => nats.drain() }] : []),
      ...(mongo ? [{ name: 'mongo-close', run: () => mongo.close() }] : []),
      { name: 'health-close', run: () => health.close() },
    ]);
    log.info({ event: 'service.started', ports: { ...ports, health: health.port } }, `${opts.service} started`);
  };
  return { config, log, metrics, nats, mongo, started };
}
