import { z } from 'zod';
import { commonConfig, defineConfig, envVar, healthPortVar, mongoConfig, natsConfig } from '@inviteflow/runtime';

export const outboundConfig = defineConfig({
  ...commonConfig,
  healthPort: healthPortVar(9605),
  ...natsConfig,
  ...mongoConfig,
  mongoDb: envVar('MONGO_DB', z.string().regex(/^[A-Za-z0-9_-]{1,60}$/), {
    default: 'inviteflow_outbound_mail', doc: "The outbound-mail service's own database.", expected: 'a database name',
  }),
  concurrency: envVar('CONSUMER_CONCURRENCY', z.coerce.number().int().min(1).max(256), {
    default: 4, doc: 'Outbound requests handled at once by this process.', expected: 'an integer 1-256',
  }),
});
