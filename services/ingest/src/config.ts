import { z } from 'zod';
import { REVERSE_DNS_MODES } from './domain/reverse-dns.policy';
import { commonConfig, defineConfig, domainList, envVar, grpcServerConfig, healthPortVar, natsConfig, serviceDatabaseVar, ConfigOf } from '@inviteflow/runtime';

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
    default: 25 * 1024 * 1024, doc: 'Largest message accepted (SIZE extension, RFC 1870); larger gets 552 after the end of DATA. Messages past RAW_INLINE_MAX_BYTES stream to the object store, so nothing past this is held in memory.', expected: 'bytes',
  }),
  // Issue 14: a small mail travels in mail.received.v1 itself, skipping the object store's round trips.
  rawInlineMaxBytes: envVar('RAW_INLINE_MAX_BYTES', z.coerce.number().int().min(0).max(16 * 1024 * 1024), {
    default: 256 * 1024, // a quarter of nats-server's default max_payload (1 MiB)
    doc: 'Mails up to this size travel inline in mail.received.v1; larger ones stream to the raw-mail object store and the event carries a reference. At most this is buffered per message. 0: always the object store. Checked at start-up: plus 64 KiB it must fit nats-server\'s max_payload and the MAIL and DLQ streams\' max_msg_size.',
    expected: 'bytes, 0-16777216',
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
  // --- SMTP security (issue 15 pt 3, docs/security.md) ---
  smtpTlsCertFile: envVar('SMTP_TLS_CERT_FILE', z.string().min(1).optional(), {
    doc: 'Certificate chain (PEM) offered with STARTTLS (RFC 3207) on both listeners; with SMTP_TLS_KEY_FILE. Unset: no STARTTLS.', expected: 'a file path',
  }),
  smtpTlsKeyFile: envVar('SMTP_TLS_KEY_FILE', z.string().min(1).optional(), {
    // A path, not the key: the file is the secret (a mounted Secret, 0400), as GRPC_TLS_KEY_FILE.
    doc: 'Private key (PEM) of SMTP_TLS_CERT_FILE.', expected: 'a file path',
  }),
  smtpMaxConnectionsPerIp: envVar('SMTP_MAX_CONNECTIONS_PER_IP', z.coerce.number().int().min(0).max(100_000), {
    default: 20, doc: 'Open SMTP connections one client address may hold; beyond it the greeting is 421 4.7.0 and the connection closes. 0: no limit.', expected: 'an integer 0-100000',
  }),
  smtpSubmissionPort: envVar('SMTP_SUBMISSION_PORT', z.coerce.number().int().min(0).max(65535).optional(), {
    doc: 'A second listener for submission (RFC 6409) where AUTH is required, only after STARTTLS; needs SMTP_USERS_FILE and the TLS files. Unset: none. 0 picks a free port.', expected: 'a port 0-65535',
  }),
  smtpUsersFile: envVar('SMTP_USERS_FILE', z.string().min(1).optional(), {
    doc: 'Submission users: one user:hash per line (bcrypt $2b$..., or $scrypt$<salt b64>$<key b64>).', expected: 'a file path',
  }),
  // --- end SMTP security
  // --- Mailbox intake (issue 12, src/imap) ---
  // Optional, unlike the other services: without a database ingest only takes SMTP.
  mongoUrl: envVar('MONGO_URL', z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/).optional(), {
    secret: true,
    doc: 'MongoDB connection string of ingest\'s own database (mailbox definitions and checkpoints). Unset: no mailbox intake, SMTP only.',
    expected: 'a mongodb:// or mongodb+srv:// URL',
  }),
  mongoDb: serviceDatabaseVar('ingest', 'inviteflow_ingest'),
  imapPollIntervalMs: envVar('IMAP_POLL_INTERVAL_MS', z.coerce.number().int().min(1000).max(3_600_000), {
    default: 60_000, doc: 'Scan each mailbox at least this often, also while IDLE (RFC 2177) reports new mail: servers without IDLE, and missed notifications.', expected: 'milliseconds, 1000-3600000',
  }),
  imapRetryMinMs: envVar('IMAP_RETRY_MIN_MS', z.coerce.number().int().min(10).max(600_000), {
    default: 1000, doc: 'First wait after a mailbox fails (login refused, server unreachable, connection dropped); doubles per failure.', expected: 'milliseconds, 10-600000',
  }),
  imapRetryMaxMs: envVar('IMAP_RETRY_MAX_MS', z.coerce.number().int().min(10).max(3_600_000), {
    default: 300_000, doc: 'Longest wait between retries of a failing mailbox.', expected: 'milliseconds, 10-3600000',
  }),
  imapLeaseTtlMs: envVar('IMAP_LEASE_TTL_MS', z.coerce.number().int().min(300).max(600_000), {
    default: 30_000, doc: 'A mailbox is worked by one ingest replica, holding a lease it renews every third of this; a replica that dies loses its mailboxes after this long.', expected: 'milliseconds, 300-600000',
  }),
  // --- end mailbox intake ---
  // --- Mailbox admin (src/grpc: MailboxService, `inviteflow mailbox ...`) ---
  ...grpcServerConfig(50054),
  mailboxSecretsDir: envVar('MAILBOX_SECRETS_DIR', z.string().regex(/^\//).optional(), {
    doc: 'Directory a mailbox secret given as a file reference must lie in (a mounted Kubernetes Secret). Unset: file references are refused.',
    expected: 'an absolute path',
  }),
  mailboxReloadIntervalMs: envVar('MAILBOX_RELOAD_INTERVAL_MS', z.coerce.number().int().min(1000).max(3_600_000), {
    default: 30_000, doc: 'How often each replica re-reads the mailbox definitions (one changed through another replica\'s MailboxService is picked up within this).', expected: 'milliseconds, 1000-3600000',
  }),
  // --- end mailbox admin ---
});

export type IngestConfig = ConfigOf<typeof ingestConfig>;
