// Where a mail is parsed (issue 14): on the service's main thread, or in a parse worker under
// the hard time bound (parse-pool.ts).
//
// A worker costs every message a structured clone of its outcome, a transfer of its bytes and
// two thread hops (~8 % of the parser's CPU under ./dev load), and each worker isolate holds
// ~30-40 MB. Almost every mail is small, and for a small mail parser-core's own limits bound the
// work (parts, calendar parts, time zones, lines read at most three times, linear scans: the
// hostile-input and fuzz tests). So a first delivery of a mail up to PARSER_INLINE_MAX_BYTES is
// parsed on the main thread, and the worker takes:
// - larger mails, where a synchronous stretch of mailparser or ical.js can last seconds;
// - every redelivery. A mail that hangs the main thread despite the limits (a bug nobody has
//   found yet) stops the process answering /healthz; Kubernetes restarts it (livenessProbe,
//   k8s/base/parser.yaml), JetStream redelivers the mail once its ack deadline passes, and the
//   redelivery runs in a worker, where the budget ends it TIME_BUDGET_EXCEEDED. So no mail can
//   block the service more than once. A redelivery for any other reason (a failed publish, a
//   shutdown) merely pays the worker's cost.
// An inline parse that outlives the budget still gets its real outcome, and is reported
// (onSlowInline) so that an operator can lower PARSER_INLINE_MAX_BYTES.
import { performance } from 'node:perf_hooks';
import { parseMail as parseInProcess, type MailParseContext, type ParseLimits, type ParseOutcome } from '@inviteflow/parser-core';
import type { ParsePool } from './parse-pool';

export type ParsePlace = 'inline' | 'worker';

/** Why a mail went to a worker, for the metric; undefined: parsed inline. */
export type WorkerReason = 'size' | 'redelivery';

/**
 * The rule above, pure: redeliveries and mails above `inlineMaxBytes` go to a worker. An
 * `inlineMaxBytes` of 0 sends every mail to a worker (the service before issue 14's change).
 */
export function workerReason(bytes: number, deliveryCount: number, inlineMaxBytes: number): WorkerReason | undefined {
  if (deliveryCount > 1) return 'redelivery';
  if (inlineMaxBytes <= 0 || bytes > inlineMaxBytes) return 'size';
  return undefined;
}

export interface MailParserOptions {
  /** Largest first delivery parsed on the main thread (PARSER_INLINE_MAX_BYTES). */
  inlineMaxBytes: number;
  /** PARSER_TIME_BUDGET_MS: an inline parse longer than this is reported. */
  timeBudgetMs: number;
  pool: Pick<ParsePool, 'parse'>;
  /** Tests replace the in-process parse; the service uses parser-core's. */
  parseInline?: (raw: Buffer, ctx: MailParseContext, limits: ParseLimits) => Promise<ParseOutcome>;
  onWorker?: (reason: WorkerReason) => void;
  onSlowInline?: (elapsedMs: number, bytes: number) => void;
  /** Milliseconds, monotonic; tests pass their own. */
  now?: () => number;
}

/**
 * The parser service's parseMail: same contract as parser-core's (one outcome, never a throw
 * for bad input). `raw` is only read, never detached: the worker gets a copy, since sender
 * authentication reads the same bytes meanwhile.
 */
export function mailParser(options: MailParserOptions) {
  const parseInline = options.parseInline ?? parseInProcess;
  const now = options.now ?? (() => performance.now());
  return async (raw: Buffer, ctx: MailParseContext, limits: ParseLimits, deliveryCount = 1): Promise<ParseOutcome> => {
    const reason = workerReason(raw.byteLength, deliveryCount, options.inlineMaxBytes);
    if (reason !== undefined) {
      options.onWorker?.(reason);
      return options.pool.parse(raw, ctx, limits);
    }
    const started = now();
    const outcome = await parseInline(raw, ctx, limits);
    const elapsedMs = now() - started;
    if (elapsedMs > options.timeBudgetMs) options.onSlowInline?.(elapsedMs, raw.byteLength);
    return outcome;
  };
}
