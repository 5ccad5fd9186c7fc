import { CONSUMERS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, startDurableConsumer } from '@inviteflow/messaging';
import { bootService, RunningService, StartOptions } from '@inviteflow/platform';
import type { OutboundConfig } from './config';
import { OutboundRequestRepository } from './data/outbound-request.repository';
import { onOutboundRequested } from './handlers/outbound-requested.handler';

/** Wires and starts outbound-mail: records each outbound request (rendering and delivery: later). */
export async function start(config: OutboundConfig, options: StartOptions = {}): Promise<RunningService> {
  const kit = await bootService({
    service: 'outbound-mail', config, options,
    nats: (c) => c.natsUrl, mongo: (c) => ({ url: c.mongoUrl, dbName: c.mongoDb }),
  });
  const { log, nats, mongo } = kit;
  const repo = new OutboundRequestRepository(mongo!.db);
  const handle = onOutboundRequested({ repo, now: () => new Date(), log });
  const consumer = await startDurableConsumer(nats!, {
    consumer: CONSUMERS.outboundMail, policy: DEFAULT_RETRY_POLICY, concurrency: config.concurrency, log, handle: ({ data }) => handle(data),
  });
  return kit.started({}, [{ name: 'consumer-stop', run: () => consumer.stop(config.shutdownTimeoutMs / 2) }], { consumer: () => consumer.isRunning() });
}
