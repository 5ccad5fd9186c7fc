import { AppError } from '@inviteflow/runtime';
import type { IngestConfig } from '../config';
import type { SmtpListenerOptions } from './smtp.listener';
import { readTls, readUsers } from './smtp.security';

type Settings = Omit<SmtpListenerOptions, 'accept' | 'log' | 'resolver'>;

/** The listener's settings from the service config (everything but the log and `accept`). */
export function smtpSettings(config: IngestConfig): Settings {
  const tls = config.smtpTlsCertFile && config.smtpTlsKeyFile ? readTls(config.smtpTlsCertFile, config.smtpTlsKeyFile) : undefined;
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
    security: { ...(tls ? { tls } : {}), maxConnectionsPerIp: config.smtpMaxConnectionsPerIp },
  };
}

/**
 * The submission listener (RFC 6409) when SMTP_SUBMISSION_PORT is set: the same relay rules
 * and limits, AUTH required (only after STARTTLS). Undefined when not configured.
 */
export function submissionSettings(config: IngestConfig): Settings | undefined {
  if (config.smtpSubmissionPort === undefined) return undefined;
  // Without users nobody could submit; without TLS AUTH is never allowed (RFC 4954 §4): say so at boot.
  if (!config.smtpUsersFile || !config.smtpTlsCertFile || !config.smtpTlsKeyFile) {
    throw new AppError({
      code: 'CONFIG_INVALID', retryable: false,
      message: 'SMTP_SUBMISSION_PORT needs SMTP_USERS_FILE, SMTP_TLS_CERT_FILE and SMTP_TLS_KEY_FILE (AUTH is only taken after STARTTLS)',
    });
  }
  const main = smtpSettings(config);
  return { ...main, port: config.smtpSubmissionPort, security: { ...main.security, users: readUsers(config.smtpUsersFile) } };
}
