import { z } from 'zod';
import { commonConfig, defineConfig, domainList, envVar, healthPortVar, natsConfig } from '@inviteflow/runtime';

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
    default: 25 * 1024 * 1024, doc: 'Largest message accepted (SIZE extension, RFC 1870); larger gets 552.', expected: 'bytes',
  }),
});
