import { CONSUMERS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, startDurableConsumer } from '@inviteflow/messaging';
import { bootService, RunningService, StartOptions } from '@inviteflow/platform';
import type { OutboundConfig } from './config';
import { OutboundRequestRepository } from './data/outbound-request.repository';
import { onOutboundRequested } from './handlers/outbound-requested.handler';
import { startRsvp } from './rsvp/rsvp.wiring';
// ---- Delivery ----
import { startGrpcServer } from '@inviteflow/rpc';
import { startDelivery } from './delivery/delivery.wiring';
import { renderOutboundMail } from './render/render-mail';
import { renderSettings } from './render/render.config';
// ---- /Delivery ----

/** Wires and starts outbound-mail: records each outbound request, renders and delivers it, serves RSVP links and the outbox. */
export async function start(config: OutboundConfig, options: StartOptions = {}): Promise<RunningService> {
  const kit = await bootService({
    service: 'outbound-mail', config, options,
    nats: (c) => c.natsUrl, mongo: (c) => ({ url: c.mongoUrl, dbName: c.mongoDb }),
  });
  const { log, nats, mongo } = kit;
  // ---- RSVP links (rsvp/): the click endpoint; `rsvp.links` is the RsvpLinkFactory for RenderOptions.rsvpLinks ----
  const rsvp = await startRsvp(config, { nats: nats!, log, now: () => new Date() });
  // ---- /RSVP ----
  // ---- Delivery (delivery/): render, hand to the relay, retry on the defer table, the outbox's gRPC ----
  const now = (): Date => new Date();
  const delivery = await startDelivery({
    config, db: mongo!.db, nats: nats!, render: renderOutboundMail, log, now,
    // From policy and Message-ID domain: render/render.config.ts.
    renderOptions: { ...renderSettings(config), rsvpLinks: rsvp.links, now },
  });
  const grpc = await startGrpcServer({ host: config.grpcHost, port: config.grpcPort, services: [delivery.grpc] });
  // ---- /Delivery ----
  const repo = new OutboundRequestRepository(mongo!.db);
  const handle = onOutboundRequested({ repo, delivery: { service: delivery.service, enabled: delivery.enabled }, now, log });
  const consumer = await startDurableConsumer(nats!, {
    consumer: CONSUMERS.outboundMail, policy: DEFAULT_RETRY_POLICY, concurrency: config.concurrency, log, handle: ({ data }) => handle(data),
  });
  return kit.started({ ...rsvp.ports, grpc: grpc.port }, [
    ...rsvp.stopSteps, { name: 'consumer-stop', run: () => consumer.stop(config.shutdownTimeoutMs / 2) },
    ...delivery.steps, { name: 'grpc-shutdown', run: () => grpc.shutdown(1000) },
  ], { consumer: () => consumer.isRunning() }, grpc);
}
