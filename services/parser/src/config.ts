import { z } from 'zod';
import { commonConfig, defineConfig, envVar, healthPortVar, natsConfig } from '@inviteflow/runtime';

export const parserConfig = defineConfig({
  ...commonConfig,
  healthPort: healthPortVar(9603),
  ...natsConfig,
  concurrency: envVar('CONSUMER_CONCURRENCY', z.coerce.number().int().min(1).max(256), {
    default: 4, doc: 'Messages parsed at once by this process (scale out with replicas).', expected: 'an integer 1-256',
  }),
  maxMessageBytes: envVar('PARSER_MAX_MESSAGE_BYTES', z.coerce.number().int().min(1024), {
    default: 25 * 1024 * 1024, doc: 'Largest raw message parsed; larger is rejected TOO_LARGE.', expected: 'bytes',
  }),
});
