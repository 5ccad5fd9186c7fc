import { CONSUMERS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, startDurableConsumer } from '@inviteflow/messaging';
import { bootService, grpcClientSecurity, grpcServerSecurity, RunningService, StartOptions } from '@inviteflow/platform';
import { startGrpcServer } from '@inviteflow/rpc';
import type { OutboundConfig } from './config';
import { OutboundRequestRepository } from './data/outbound-request.repository';
import { startDelivery } from './delivery/delivery.wiring';
import { onOutboundRequested } from './handlers/outbound-requested.handler';
import { renderOutboundMail } from './render/render-mail';
import { renderSettings } from './render/render.config';
import { startRsvp } from './rsvp/rsvp.wiring';

/** Wires and starts outbound-mail: records each outbound request, renders and delivers it, serves RSVP links and the outbox. */
export async function start(config: OutboundConfig, options: StartOptions = {}): Promise<RunningService> {
  const kit = await bootService({
    service: 'outbound-mail', config, options,
    nats: (c) => c.natsUrl, mongo: (c) => ({ url: c.mongoUrl, dbName: c.mongoDb }),
  });
  const { log, nats, mongo } = kit;
  const now = (): Date => new Date();
  // The RSVP click endpoint; `rsvp.links` signs the links rendering puts into each REQUEST.
  const rsvp = await startRsvp(config, { nats: nats!, log, now, appointmentSecurity: () => grpcClientSecurity('outbound-mail', config) });
  // Render, hand to the relay, retry on the defer table; the outbox's gRPC.
  const delivery = await startDelivery({
    config, db: mongo!.db, nats: nats!, render: renderOutboundMail, log, now,
    // From policy and Message-ID domain: render/render.config.ts.
    renderOptions: { ...renderSettings(config), rsvpLinks: rsvp.links, now },
  });
  const grpc = await startGrpcServer({
    host: config.grpcHost, port: config.grpcPort, services: [delivery.grpc], security: grpcServerSecurity('outbound-mail', config, log), log,
  });
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
