import type { DNSResolver } from 'mailauth';
import { CONSUMERS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, openRawMailStore, publish, startDurableConsumer } from '@inviteflow/messaging';
import { DEFAULT_PARSE_LIMITS } from '@inviteflow/parser-core';
import { bootService, RunningService, StartOptions } from '@inviteflow/platform';
import { mailParser } from './bounded/mail-parser';
import { defaultWorkerFile, ParsePool, resolveWorkerCount } from './bounded/parse-pool';
import { authenticatorFor } from './auth/mail-authentication';
import { resolverFromSetting } from './auth/dns.resolver';
import type { ParserConfig } from './config';
import { onMailReceived } from './handlers/mail-received.handler';

export interface ParserStartOptions extends StartOptions {
  /** The compiled worker script; tests that run from sources pass a bundle of it. */
  readonly workerFile?: string;
  /** DNS for sender authentication instead of MAIL_AUTH_DNS (tests). */
  readonly authResolver?: DNSResolver;
}

/** Wires and starts the parser: raw mail in, normalised iTIP messages (or a recorded reason) out. */
export async function start(config: ParserConfig, options: ParserStartOptions = {}): Promise<RunningService> {
  const kit = await bootService({ service: 'parser', config, options, nats: (c) => c.natsUrl });
  const { log, nats, metrics } = kit;
  const rawMail = await openRawMailStore(nats!.nc, { replicas: config.natsStreamReplicas });
  const outcomes = metrics.counter({ name: 'inviteflow_parse_outcomes_total', help: 'Parse outcomes by kind and reason', labelNames: ['kind', 'reason'] });
  const inWorker = metrics.counter({ name: 'inviteflow_parse_in_worker_total', help: 'Mails parsed in a worker thread, by why (size, redelivery)', labelNames: ['reason'] });
  const slowInline = metrics.counter({ name: 'inviteflow_parse_inline_slow_total', help: 'Mails parsed on the main thread that outlived PARSER_TIME_BUDGET_MS' });
  // Workers start when a mail needs one (bounded/mail-parser.ts): most mails never do.
  const pool = new ParsePool({
    workerFile: options.workerFile ?? defaultWorkerFile(), workers: resolveWorkerCount(config.parseWorkers), timeBudgetMs: config.parseTimeBudgetMs,
    maxHeapMb: config.parseWorkerHeapMb, recycleAboveMb: config.parseWorkerRecycleMb, idleStopMs: config.parseWorkerIdleMs,
  });
  const parseMail = mailParser({
    inlineMaxBytes: config.parseInlineMaxBytes, timeBudgetMs: config.parseTimeBudgetMs, pool,
    onWorker: (reason) => inWorker.inc({ reason }),
    onSlowInline: (elapsedMs, bytes) => {
      slowInline.inc();
      log.warn({ elapsedMs: Math.round(elapsedMs), bytes, budgetMs: config.parseTimeBudgetMs }, 'a mail parsed on the main thread outlived the time budget; consider a lower PARSER_INLINE_MAX_BYTES');
    },
  });
  const handle = onMailReceived({
    rawMail, parseMail, limits: { ...DEFAULT_PARSE_LIMITS, maxMessageBytes: config.maxMessageBytes },
    publish: (subject, payload, msgId) => publish(nats!.js, subject, payload, { msgId }),
    onOutcome: (o) => outcomes.inc({ kind: o.kind, reason: o.kind === 'parsed' ? 'OK' : o.reasonCode }),
    // Sender authentication (issue 15 pt 4): tests pass their own resolver, never the network.
    authenticate: authenticatorFor({
      authservId: config.authservId, now: () => new Date(),
      resolver: options.authResolver ?? resolverFromSetting(config.authDns, config.authDnsTimeoutMs),
    }),
  });
  const consumer = await startDurableConsumer(nats!, {
    consumer: CONSUMERS.parser, policy: DEFAULT_RETRY_POLICY, concurrency: config.concurrency, log, handle: ({ data, deliveryCount }) => handle(data, deliveryCount),
  });
  return kit.started({}, [
    { name: 'consumer-stop', run: () => consumer.stop(config.shutdownTimeoutMs / 2) },
    { name: 'parse-pool-close', run: () => pool.close() },
  ], { consumer: () => consumer.isRunning() });
}
