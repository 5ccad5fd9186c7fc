import type { DNSResolver } from 'mailauth';
import { CONSUMERS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, openRawMailStore, publish, startDurableConsumer } from '@inviteflow/messaging';
import { DEFAULT_PARSE_LIMITS } from '@inviteflow/parser-core';
import { bootService, RunningService, StartOptions } from '@inviteflow/platform';
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
  const pool = new ParsePool({
    workerFile: options.workerFile ?? defaultWorkerFile(), workers: resolveWorkerCount(config.parseWorkers), timeBudgetMs: config.parseTimeBudgetMs,
    maxHeapMb: config.parseWorkerHeapMb, recycleAboveMb: config.parseWorkerRecycleMb,
  });
  const handle = onMailReceived({
    // The raw bytes are not used after parsing: hand them to the worker instead of copying.
    rawMail, parseMail: (raw, ctx, limits) => pool.parse(raw, ctx, limits, { transfer: true }), limits: { ...DEFAULT_PARSE_LIMITS, maxMessageBytes: config.maxMessageBytes },
    publish: (subject, payload, msgId) => publish(nats!.js, subject, payload, { msgId }),
    onOutcome: (o) => outcomes.inc({ kind: o.kind, reason: o.kind === 'parsed' ? 'OK' : o.reasonCode }),
    // Sender authentication (issue 15 pt 4): tests pass their own resolver, never the network.
    authenticate: authenticatorFor({
      authservId: config.authservId, now: () => new Date(),
      resolver: options.authResolver ?? resolverFromSetting(config.authDns, config.authDnsTimeoutMs),
    }),
  });
  const consumer = await startDurableConsumer(nats!, {
    consumer: CONSUMERS.parser, policy: DEFAULT_RETRY_POLICY, concurrency: config.concurrency, log, handle: ({ data }) => handle(data),
  });
  return kit.started({}, [
    { name: 'consumer-stop', run: () => consumer.stop(config.shutdownTimeoutMs / 2) },
    { name: 'parse-pool-close', run: () => pool.close() },
  ], { consumer: () => consumer.isRunning() });
}
