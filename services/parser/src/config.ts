import { z } from 'zod';
import { commonConfig, consumerConcurrencyVar, defineConfig, envVar, healthPortVar, natsConfig, ConfigOf } from '@inviteflow/runtime';

export const parserConfig = defineConfig({
  ...commonConfig,
  healthPort: healthPortVar(9603),
  ...natsConfig,
  concurrency: consumerConcurrencyVar(4, 'Messages parsed at once by this process (scale out with replicas).'),
  maxMessageBytes: envVar('PARSER_MAX_MESSAGE_BYTES', z.coerce.number().int().min(1024), {
    default: 25 * 1024 * 1024, doc: 'Largest raw message parsed; larger is rejected TOO_LARGE.', expected: 'bytes',
  }),
  parseTimeBudgetMs: envVar('PARSER_TIME_BUDGET_MS', z.coerce.number().int().min(100), {
    default: 10_000, doc: 'Wall-clock time one message may take; longer is abandoned and rejected TIME_BUDGET_EXCEEDED.', expected: 'milliseconds',
  }),
  parseWorkers: envVar('PARSER_WORKERS', z.coerce.number().int().min(1).max(64), {
    default: 2, doc: 'Worker threads that parse (each one message at a time, ~30 MB each).', expected: 'an integer 1-64',
  }),
  parseWorkerHeapMb: envVar('PARSER_WORKER_HEAP_MB', z.coerce.number().int().min(32), {
    default: 256, doc: 'Heap limit of one parse worker; a message needing more is rejected TOO_LARGE.', expected: 'megabytes',
  }),
  parseWorkerRecycleMb: envVar('PARSER_WORKER_RECYCLE_MB', z.coerce.number().int().min(32), {
    default: 96, doc: 'A parse worker holding more than this (heap + buffers) after a message is replaced, giving the memory back.', expected: 'megabytes',
  }),
});

export type ParserConfig = ConfigOf<typeof parserConfig>;
