import type { IngestConfig } from '../config';
import type { SmtpListenerOptions } from './smtp.listener';

/** The listener's settings from the service config (everything but the log and `accept`). */
export function smtpSettings(config: IngestConfig): Omit<SmtpListenerOptions, 'accept' | 'log' | 'resolver'> {
  return {
    host: config.smtpHost,
    port: config.smtpPort,
    hostname: config.smtpHostname,
    domains: config.acceptDomains,
    maxMessageBytes: config.maxMessageBytes,
    reverseDns: config.smtpReverseDns,
    transactionTimeoutMs: config.smtpTransactionTimeoutMs,
    minDataRateBps: config.smtpMinDataRateBps,
    dataRateGraceMs: config.smtpDataRateGraceMs,
  };
}
