// Delivery wired as start.ts wires it, minus the consumer: a NATS server of its own with the real
// streams, a fresh database on the run's MongoDB, a real SMTP server on loopback, and the handler
// called directly. For delivery.int.test.ts and the benchmark.
import { MongoClient, type Db } from 'mongodb';
import { STREAMS } from '@inviteflow/contracts';
import type { ProvisionedInfra } from '@inviteflow/infra';
import { connectNats, provisionStreams, type NatsHandle } from '@inviteflow/messaging';
import { loadConfig, type Env } from '@inviteflow/runtime';
import { startPrivateNats, testMongoUrl, uniqueSuffix, testNatsAuth } from '@inviteflow/testing';
import { outboundConfig, type OutboundConfig } from '../src/config';
import { OutboundRequestRepository } from '../src/data/outbound-request.repository';
import { startDelivery, type DeliveryWiring } from '../src/delivery/delivery.wiring';
import { onOutboundRequested } from '../src/handlers/outbound-requested.handler';
import type { RenderOptions, RenderOutboundMail } from '../src/render/render.types';
import { startLoopbackRelay, type LoopbackRelay } from '@inviteflow/testing';

export const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

export interface DeliveryHarness {
  infra: ProvisionedInfra;
  nats: NatsHandle;
  client: MongoClient;
  db: Db;
  relay: LoopbackRelay;
  config: OutboundConfig;
  wiring: DeliveryWiring;
  /** The mail.outbound-requested.v1 handler, as the consumer calls it. */
  handle: (data: Uint8Array) => Promise<void>;
  stop(): Promise<void>;
}

export async function startDeliveryHarness(name: string, o: { env: Env; render: RenderOutboundMail; renderOptions: RenderOptions }): Promise<DeliveryHarness> {
  const infra = await startPrivateNats(name);
  const nats = await connectNats({ servers: [infra.natsUrl], name, auth: testNatsAuth() });
  await provisionStreams(nats.jsm, Object.values(STREAMS), { replicas: 1 });
  const client = await MongoClient.connect(testMongoUrl());
  const db = client.db(`${name.replace(/-/g, '_')}_${uniqueSuffix()}`);
  const relay = await startLoopbackRelay();
  const config = loadConfig(outboundConfig, { NATS_URL: infra.natsUrl, MONGO_URL: testMongoUrl(), SMTP_RELAY_URL: relay.url, ...o.env }, { service: 'outbound-mail' });
  const now = (): Date => new Date();
  const wiring = await startDelivery({ config, db, nats, render: o.render, renderOptions: o.renderOptions, log: silentLog, now });
  const handle = onOutboundRequested({ repo: new OutboundRequestRepository(db), delivery: { service: wiring.service, enabled: true }, now, log: silentLog });
  return {
    infra, nats, client, db, relay, config, wiring, handle,
    stop: async () => {
      for (const step of wiring.steps) await step.run();
      await nats.drain();
      await relay.close();
      await client.close();
      await infra.stop();
    },
  };
}
