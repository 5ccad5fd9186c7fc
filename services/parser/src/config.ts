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
  // Issue 14: a worker costs every mail a clone of its outcome and two thread hops, and each
  // worker ~30-40 MB; bounded/mail-parser.ts says why a small first delivery is safe inline.
  parseInlineMaxBytes: envVar('PARSER_INLINE_MAX_BYTES', z.coerce.number().int().min(0), {
    default: 256 * 1024,
    doc: 'Largest mail parsed on the main thread on its first delivery; larger mails and every redelivery go to a parse worker under the time budget. 0: every mail in a worker.',
    expected: 'bytes',
  }),
  parseWorkerIdleMs: envVar('PARSER_WORKER_IDLE_MS', z.coerce.number().int().min(0), {
    default: 60_000, doc: 'Parse workers start when a mail needs one and end after this long without one, giving their memory back.', expected: 'milliseconds',
  }),
  // auto: one worker per CPU beyond the one the main thread needs (NATS, sender authentication,
  // JSON), at least 1 and at most 2: each worker holds ~30-40 MB, which the 150 MiB a pod may
  // use (issue 14) has room for twice at most; more throughput comes from replicas. Kubernetes
  // sets it to match the pod's CPU limit, which the CPU count inside a container does not show.
  parseWorkers: envVar('PARSER_WORKERS', z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]), {
    default: 'auto', doc: 'Worker threads that parse (each one message at a time, ~30-40 MB each); auto: CPUs - 1, from 1 to 2.', expected: 'auto or an integer 1-64',
  }),
  parseWorkerHeapMb: envVar('PARSER_WORKER_HEAP_MB', z.coerce.number().int().min(32), {
    default: 256, doc: 'Heap limit of one parse worker; a message needing more is rejected TOO_LARGE.', expected: 'megabytes',
  }),
  parseWorkerRecycleMb: envVar('PARSER_WORKER_RECYCLE_MB', z.coerce.number().int().min(32), {
    default: 96, doc: 'A parse worker holding more than this (heap + buffers) after a message is replaced, giving the memory back.', expected: 'megabytes',
  }),
  // --- Sender authentication (issue 15 pt 4, docs/security.md) ---
  authservId: envVar('MAIL_AUTHSERV_ID', z.string().regex(/^[A-Za-z0-9.-]+$/), {
    default: 'inviteflow.local', doc: 'Our authserv-id (RFC 8601 §2.5) naming the SPF/DKIM/DMARC/ARC results recorded on every mail; use the MX host name.', expected: 'a host name',
  }),
  authDns: envVar('MAIL_AUTH_DNS', z.string().min(1), {
    default: 'system',
    doc: 'Where SPF, DKIM, DMARC and ARC look-ups go: system (the host resolver), or the path of a JSON zone file ({"TXT name": [["value"]]}, the local cluster and tests; no network).',
    expected: 'system | a file path',
  }),
  authDnsTimeoutMs: envVar('MAIL_AUTH_DNS_TIMEOUT_MS', z.coerce.number().int().min(100).max(60_000), {
    default: 3000, doc: 'Bound on one DNS look-up of sender authentication (two tries); a look-up that runs out is temperror, never a held message.', expected: 'milliseconds, 100-60000',
  }),
  // --- end sender authentication
});

export type ParserConfig = ConfigOf<typeof parserConfig>;
