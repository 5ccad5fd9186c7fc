// Drives deferred deliveries (and queued ones nobody attempted: a process that died after
// recording them) from MongoDB, so retries survive restarts: the schedule is the records'
// `nextAttemptAt`, not a timer in some process. Any number of processes may poll; the claim in
// DeliveryService.attempt (a version-guarded update) lets exactly one of them send.
import type { DeliveryRepository } from '../data/delivery.repository';
import { DELIVERY_LOG_CODES } from './delivery.errors';
import type { DeliveryLog, DeliveryService } from './delivery.service';

export interface SchedulerOptions {
  repo: DeliveryRepository;
  delivery: DeliveryService;
  pollMs: number;
  batchSize: number;
  /** Deliveries attempted at once (the SMTP pool's size). */
  concurrency: number;
  now: () => Date;
  log: DeliveryLog & { error(o: object, m?: string): void };
}

export interface RunningScheduler {
  /** One pass now (tests, and the first pass at start); resolves when its attempts are done. */
  pollOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startDeliveryScheduler(o: SchedulerOptions): RunningScheduler {
  let stopped = false;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const pass = async (): Promise<number> => {
    const due = await o.repo.due(o.now(), o.batchSize);
    let done = 0;
    await inBatches(due, o.concurrency, async (doc) => {
      if (stopped) return;
      await o.delivery.attempt(doc).catch((err: unknown) => o.log.error({ err, deliveryId: doc._id, code: DELIVERY_LOG_CODES.attemptFailed }, 'delivery attempt failed; retried at a later poll'));
      done++;
    });
    for (const doc of await o.repo.unpublished(o.batchSize)) {
      if (stopped) break;
      if (!o.delivery.announcementOverdue(doc, o.now())) continue;
      await o.delivery.announce(doc).catch((err: unknown) => o.log.warn({ err, deliveryId: doc._id, code: DELIVERY_LOG_CODES.eventPublishFailed }, 'delivery event not published; retried at a later poll'));
    }
    return done;
  };
  // One pass at a time: a slow pass delays the next instead of overlapping it.
  const pollOnce = (): Promise<number> => (running ??= pass().finally(() => { running = undefined; }));
  const tick = (): void => {
    if (stopped) return;
    pollOnce().catch((err: unknown) => o.log.error({ err, code: DELIVERY_LOG_CODES.pollFailed }, 'delivery poll failed'))
      .finally(() => { if (!stopped) timer = setTimeout(tick, o.pollMs); });
  };
  timer = setTimeout(tick, 0);
  return {
    pollOnce,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

async function inBatches<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}
