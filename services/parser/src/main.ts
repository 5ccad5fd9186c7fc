import { CONSUMERS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, openRawMailStore, provisionConsumer, publish, startConsumer } from '@inviteflow/messaging';
import { bootService } from '@inviteflow/platform';
import { runService } from '@inviteflow/runtime';
import { parserConfig } from './config';
import { defaultWorkerFile, ParsePool } from './bounded/parse-pool';
import { DEFAULT_PARSE_LIMITS } from '@inviteflow/parser-core';
import { onMailReceived } from './handlers/mail-received.handler';

async function main(): Promise<void> {
  const kit = await bootService({ service: 'parser', schema: parserConfig, nats: (c) => c.natsUrl });
  const { config, log, nats, metrics } = kit;
  const rawMail = await openRawMailStore(nats!.nc, { replicas: config.natsStreamReplicas });
  const outcomes = metrics.counter({ name: 'inviteflow_parse_outcomes_total', help: 'Parse outcomes by kind and reason', labelNames: ['kind', 'reason'] });
  await provisionConsumer(nats!.jsm, CONSUMERS.parser, DEFAULT_RETRY_POLICY);
  const pool = new ParsePool({
    workerFile: defaultWorkerFile(), workers: config.parseWorkers, timeBudgetMs: config.parseTimeBudgetMs, maxHeapMb: config.parseWorkerHeapMb,
  });
  const handle = onMailReceived({
    rawMail, parseMail: (raw, ctx, limits) => pool.parse(raw, ctx, limits), limits: { ...DEFAULT_PARSE_LIMITS, maxMessageBytes: config.maxMessageBytes },
    publish: (subject, payload, msgId) => publish(nats!.js, subject, payload, { msgId }),
    onOutcome: (o) => outcomes.inc({ kind: o.kind, reason: o.kind === 'parsed' ? 'OK' : o.reasonCode }),
  });
  const consumer = await startConsumer(nats!.js, {
    stream: CONSUMERS.parser.stream, durable: CONSUMERS.parser.durable, policy: DEFAULT_RETRY_POLICY,
    concurrency: config.concurrency, log, handle: ({ data }) => handle(data),
  });
  await kit.started({}, [
    { name: 'consumer-stop', run: () => consumer.stop(config.shutdownTimeoutMs / 2) },
    { name: 'parse-pool-close', run: () => pool.close() },
  ], { consumer: () => consumer.isRunning() });
}

void runService(main, { service: 'parser' });
