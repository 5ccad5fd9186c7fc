import { CONSUMERS, SUBJECTS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, NatsHandle, RunningConsumer, startDurableConsumer } from '@inviteflow/messaging';
import { grpcClientSecurity } from '@inviteflow/platform';
import type { Logger, Metrics, ShutdownStep } from '@inviteflow/runtime';
import type { ConfigOf } from '@inviteflow/runtime';
import type { appointmentConfig } from './config';
import type { ParkedInviteRepository } from './data/parked-invite.repository';
import { ResolutionCache } from './domain/resolution.cache';
import { IdentityClient, identityClient } from './grpc/identity.client';
import { invalidateOnIdentityChanged, onIdentityChanged } from './handlers/identity-changed.handler';
import type { CopyPipeline } from './handlers/copy.pipeline';
import type { ParkedInvites } from './handlers/parked-invite.service';

type Config = ConfigOf<typeof appointmentConfig>;

/** The identity client with its cache, and the metrics that show how the cache does. */
export function cachedIdentity(config: Config, metrics: Metrics): { identity: IdentityClient; cache: ResolutionCache } {
  const cache = new ResolutionCache(config.identityCacheSize, config.identityCacheTtlMs);
  for (const [name, help, read] of [
    ['inviteflow_identity_cache_hits_total', 'Resolutions answered from the cache', () => cache.stats().hits],
    ['inviteflow_identity_cache_misses_total', 'Resolutions asked of identity', () => cache.stats().misses],
    ['inviteflow_identity_cache_evictions_total', 'Entries evicted by the size bound', () => cache.stats().evictions],
    ['inviteflow_identity_cache_entries', 'Resolutions cached now', () => cache.stats().size],
  ] as const) {
    metrics.gauge({ name, help, collect() { this.set(read()); } });
  }
  return { cache, identity: identityClient(config.identityGrpcAddr, config.identityDeadlineMs, grpcClientSecurity('appointment', config), cache) };
}

/**
 * What reacts to directory changes: a plain subscription per replica that drops cached
 * resolutions, the durable `appointment-identity` consumer that applies parked invites, and
 * a periodic re-check of parked invites in case an event was missed (and of messages held for
 * a meeting that has arrived since, CopyPipeline.sweepHeld). Returns shutdown steps.
 */
export async function startIdentityFollowers(opts: {
  config: Config; nats: NatsHandle; log: Logger; metrics: Metrics; cache: ResolutionCache; parked: ParkedInvites; parkedRepo: ParkedInviteRepository; pipeline: CopyPipeline;
}): Promise<{ steps: ShutdownStep[]; consumer: RunningConsumer }> {
  const { config, nats, log, cache, parked } = opts;
  const invalidate = invalidateOnIdentityChanged(cache);
  const sub = nats.nc.subscribe(SUBJECTS.identityChangedV1, { callback: (err, msg) => (err ? cache.clear() : invalidate(msg.data)) });
  const consumer = await startDurableConsumer(nats, {
    consumer: CONSUMERS.appointmentIdentity, policy: DEFAULT_RETRY_POLICY, concurrency: 1, log, handle: onIdentityChanged({ cache, parked }),
  });
  opts.metrics.gauge({
    name: 'inviteflow_parked_invites', help: 'Invites waiting for an unknown address in our domains to become known',
    async collect() { this.set(await opts.parkedRepo.count()); },
  });
  opts.metrics.gauge({
    name: 'inviteflow_held_messages', help: 'Replies and other answers waiting for the REQUEST that creates their meeting copy',
    async collect() { this.set(await opts.pipeline.heldCount()); },
  });
  let sweeping = false;
  const timer = config.parkedRecheckMs > 0
    ? setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      Promise.all([parked.sweep(), opts.pipeline.sweepHeld()])
        .then(([applied, held]) => applied + held > 0 && log.info({ applied, held }, 'parked invites and held messages applied by the periodic re-check'))
        .catch((err: unknown) => log.warn({ err, code: 'PARKED_RECHECK_FAILED' }, 'parked invites re-check failed; next round retries'))
        .finally(() => { sweeping = false; });
    }, config.parkedRecheckMs)
    : undefined;
  timer?.unref();
  return {
    consumer,
    steps: [
      { name: 'parked-recheck-stop', run: async () => clearInterval(timer) },
      { name: 'identity-consumer-stop', run: () => consumer.stop(config.shutdownTimeoutMs / 4) },
      { name: 'identity-subscription-close', run: async () => sub.unsubscribe() },
    ],
  };
}
