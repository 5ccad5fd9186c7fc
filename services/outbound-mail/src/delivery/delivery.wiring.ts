// Wires delivery for start.ts: the relay transport, the delivery service, the scheduler that
// drives retries from MongoDB, and the outbox's gRPC service. One call, so start.ts stays wiring.
import type { Db } from 'mongodb';
import type { NatsHandle } from '@inviteflow/messaging';
import { publish } from '@inviteflow/messaging';
import { ensureIndexes } from '@inviteflow/mongo';
import { outboundV1 } from '@inviteflow/proto-gen';
import type { GrpcServiceBinding } from '@inviteflow/rpc';
import { DELIVERY_INDEXES, DeliveryRepository } from '../data/delivery.repository';
import { outboundGrpcImplementation } from '../grpc/outbound.grpc';
import type { RenderOptions, RenderOutboundMail } from '../render/render.types';
import type { OutboundConfig } from '../config';
import { deferPolicy } from './delivery.config';
import { DELIVERY_LOG_CODES } from './delivery.errors';
import { DeliveryService, type DeliveryLog } from './delivery.service';
import { startDeliveryScheduler, type RunningScheduler } from './delivery.scheduler';
import { relayConfigured, relayLabel, smtpTransport, type MailTransport } from './smtp.transport';

export interface DeliveryWiring {
  service: DeliveryService;
  enabled: boolean;
  scheduler: RunningScheduler | undefined;
  grpc: GrpcServiceBinding;
  /** In this order, after the consumer stopped: no new attempts, then the relay's connections closed. */
  steps: { name: string; run: () => unknown }[];
}

export async function startDelivery(o: {
  config: OutboundConfig;
  db: Db;
  nats: NatsHandle;
  render: RenderOutboundMail;
  renderOptions: RenderOptions;
  log: DeliveryLog & { error(o: object, m?: string): void; debug(o: object, m?: string): void };
  now: () => Date;
  /** Tests inject a transport; otherwise nodemailer's pool to the configured relay. */
  transport?: MailTransport;
}): Promise<DeliveryWiring> {
  const { config, log, now } = o;
  await ensureIndexes(o.db, DELIVERY_INDEXES);
  const repo = new DeliveryRepository(o.db);
  const enabled = o.transport !== undefined || relayConfigured(config);
  const transport = o.transport ?? smtpTransport(config);
  const service = new DeliveryService({
    repo, render: o.render, renderOptions: o.renderOptions, transport, now, log, claimMs: config.deliveryClaimMs,
    defer: deferPolicy(config),
    publish: async (subject, payload, msgId) => { await publish(o.nats.js, subject, payload, { msgId }); },
  });
  const scheduler = enabled
    ? startDeliveryScheduler({ repo, delivery: service, pollMs: config.deliveryPollMs, batchSize: config.deliveryBatchSize, concurrency: config.smtpPoolSize, now, log })
    : undefined;
  if (enabled) log.info({ relay: o.transport ? 'injected' : relayLabel(config), poolSize: config.smtpPoolSize }, 'delivering outbound mail');
  else log.warn({ code: DELIVERY_LOG_CODES.disabled }, 'no SMTP relay configured (SMTP_RELAY_URL / SMTP_RELAY_HOST): outbound mail is recorded as queued and not sent');
  const grpc: GrpcServiceBinding = {
    name: 'inviteflow.outbound.v1.OutboundService', definition: outboundV1.OutboundServiceService,
    implementation: outboundGrpcImplementation({ deliveries: repo, deliveryEnabled: enabled, log }),
  };
  const steps = [
    { name: 'delivery-scheduler-stop', run: async () => scheduler?.stop() },
    { name: 'smtp-pool-close', run: () => transport.close() },
  ];
  return { service, enabled, scheduler, grpc, steps };
}
