import { commonConfig, consumerConcurrencyVar, defineConfig, grpcClientSecurityConfig, grpcServerConfig, healthPortVar, mongoConfig, natsConfig, serviceDatabaseVar, ConfigOf } from '@inviteflow/runtime';
import { deliveryConfig } from './delivery/delivery.config';
import { rsvpConfig } from './rsvp/rsvp.config';
import { renderConfig } from './render/render.config';

export const outboundConfig = defineConfig({
  ...commonConfig,
  healthPort: healthPortVar(9605),
  ...natsConfig,
  ...mongoConfig,
  mongoDb: serviceDatabaseVar('outbound-mail', 'inviteflow_outbound_mail'),
  concurrency: consumerConcurrencyVar(4, 'Outbound requests handled at once by this process.'),
  // Delivery: the SMTP relay, the defer table, the outbox's gRPC look-ups (delivery/delivery.config.ts).
  ...grpcServerConfig(50055),
  ...deliveryConfig,
  // RSVP links: keys, the endpoint, the GetMeeting check (rsvp/rsvp.config.ts).
  ...rsvpConfig,
  // Outbound-mail's own caller token and trust for its GetMeeting calls to appointment (issue 15 §2).
  ...grpcClientSecurityConfig,
  // Rendering: the From policy and the Message-ID domain (render/render.config.ts).
  ...renderConfig,
});

export type OutboundConfig = ConfigOf<typeof outboundConfig>;
