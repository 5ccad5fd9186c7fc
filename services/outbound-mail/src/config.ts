import { commonConfig, consumerConcurrencyVar, defineConfig, healthPortVar, mongoConfig, natsConfig, serviceDatabaseVar, ConfigOf } from '@inviteflow/runtime';

export const outboundConfig = defineConfig({
  ...commonConfig,
  healthPort: healthPortVar(9605),
  ...natsConfig,
  ...mongoConfig,
  mongoDb: serviceDatabaseVar('outbound-mail', 'inviteflow_outbound_mail'),
  concurrency: consumerConcurrencyVar(4, 'Outbound requests handled at once by this process.'),
});

export type OutboundConfig = ConfigOf<typeof outboundConfig>;
