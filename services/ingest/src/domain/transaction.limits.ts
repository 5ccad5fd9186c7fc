/**
 * How long an SMTP client may take. smtp-server only has an idle timeout, which every byte
 * resets, so a client trickling one byte every few seconds would hold a connection (and a
 * half-written object) for ever. Two bounds close that: the whole transaction's time, and a
 * minimum DATA rate after a grace window (Postfix's smtpd_min_data_rate, 500 bytes/s, works
 * the same way: each byte received buys the client 1/rate seconds more).
 */
export interface TransactionLimits {
  /** From connecting (or from the reply to the previous message) to the end of DATA. */
  readonly transactionTimeoutMs: number;
  /** 0 turns the rate check off. */
  readonly minDataRateBps: number;
  /** DATA time every message gets before the rate counts (slow start, a small first write). */
  readonly dataRateGraceMs: number;
}

/** The instant (ms) by which a DATA phase that began at `startedAt` with `bytes` in so far must have ended. */
export function dataDeadline(startedAt: number, bytes: number, limits: TransactionLimits): number {
  if (limits.minDataRateBps <= 0) return Number.POSITIVE_INFINITY;
  return startedAt + limits.dataRateGraceMs + (bytes * 1000) / limits.minDataRateBps;
}
