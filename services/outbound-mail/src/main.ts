import { CONSUMERS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, provisionConsumer, startConsumer } from '@inviteflow/messaging';
import { bootService } from '@inviteflow/platform';
import { runService } from '@inviteflow/runtime';
import { outboundConfig } from './config';
import { OutboundRequestRepository } from './data/outbound-request.repository';
import { onOutboundRequested } from './handlers/outbound-requested.handler';

async function main(): Promise<void> {
  const kit = await bootService({
    service: 'outbound-mail', schema: outboundConfig,
    nats: (c) => c.natsUrl, mongo: (c) => ({ url: c.mongoUrl, dbName: c.mongoDb }),
  });
  const { config, log, nats, mongo } = kit;
  const repo = new OutboundRequestRepository(mongo!.db);
  await provisionConsumer(nats!.jsm, CONSUMERS.outboundMail, DEFAULT_RETRY_POLICY);
  const handle = onOutboundRequested({ repo, now: () => new Date(), log });
  const consumer = await startConsumer(nats!.js, {
    stream: CONSUMERS.outboundMail.stream, durable: CONSUMERS.outboundMail.durable, policy: DEFAULT_RETRY_POLICY,
    concurrency: config.concurrency, log, handle: ({ data }) => handle(data),
  });
  await kit.started({}, [{ name: 'consumer-stop', run: () => consumer.stop(config.shutdownTimeoutMs / 2) }], { consumer: () => consumer.isRunning() });
}

void runService(main, { service: 'outbound-mail' });
