import { z } from 'zod';
import { REVERSE_DNS_MODES } from './domain/reverse-dns.policy';
import { commonConfig, defineConfig, domainList, envVar, healthPortVar, natsConfig, ConfigOf } from '@inviteflow/runtime';

export const ingestConfig = defineConfig({
  ...commonConfig,
  healthPort: healthPortVar(9604),
  ...natsConfig,
  smtpHost: envVar('SMTP_HOST', z.string().min(1), { default: '127.0.0.1', doc: 'Interface of the SMTP listener.', expected: 'a host or IP' }),
  smtpPort: envVar('SMTP_PORT', z.coerce.number().int().min(0).max(65535), { default: 2525, doc: 'SMTP port; 0 picks a free one.', expected: 'a port 0-65535' }),
  smtpHostname: envVar('SMTP_HOSTNAME', z.string().min(1), { default: 'inviteflow.local', doc: 'Name in the SMTP greeting.', expected: 'a host name' }),
  acceptDomains: envVar('ACCEPT_DOMAINS', domainList, {
    doc: 'Comma-separated domains we accept mail for (subdomains included); other recipients get 550.',
    expected: 'domain[,domain...]',
  }),
  maxMessageBytes: envVar('MAX_MESSAGE_BYTES', z.coerce.number().int().min(1024).max(100 * 1024 * 1024), {
    default: 25 * 1024 * 1024, doc: 'Largest message accepted (SIZE extension, RFC 1870); larger gets 552 after the end of DATA. Messages stream to the object store, so nothing past this is held in memory.', expected: 'bytes',
  }),
  // smtp-server's idle timeout is reset by every byte; these bound a client that trickles.
  smtpTransactionTimeoutMs: envVar('SMTP_TRANSACTION_TIMEOUT_MS', z.coerce.number().int().min(1000).max(3_600_000), {
    default: 600_000,
    doc: 'Longest a client may take from connecting (or from the reply to its previous message) to the end of DATA; then 421 4.4.2 and the connection closes.',
    expected: 'milliseconds, 1000-3600000',
  }),
  smtpMinDataRateBps: envVar('SMTP_MIN_DATA_RATE_BPS', z.coerce.number().int().min(0).max(1_000_000_000), {
    default: 500,
    doc: 'Slowest DATA accepted after the grace window, as Postfix smtpd_min_data_rate: each byte buys 1/rate s; slower gets 421 4.4.2 and the connection closes. 0 turns it off.',
    expected: 'bytes per second, 0-1000000000',
  }),
  smtpDataRateGraceMs: envVar('SMTP_DATA_RATE_GRACE_MS', z.coerce.number().int().min(0).max(600_000), {
    default: 30_000, doc: 'DATA time every message gets before SMTP_MIN_DATA_RATE_BPS counts.', expected: 'milliseconds, 0-600000',
  }),
  smtpReverseDns: envVar('SMTP_REVERSE_DNS', z.enum(REVERSE_DNS_MODES), {
    default: 'auto',
    doc: 'Look up the client host name (PTR) before the greeting: on, off, or auto (off when SMTP_HOST is loopback).',
    expected: REVERSE_DNS_MODES.join('|'),
  }),
});

export type IngestConfig = ConfigOf<typeof ingestConfig>;
