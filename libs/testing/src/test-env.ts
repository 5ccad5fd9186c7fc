import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  natsAuthOptions, nkeySeedFileName, SERVICE_NATS_IDENTITIES, type NatsClientAuth, type NatsIdentity,
} from '@inviteflow/messaging';

/** URLs provided by the Jest global set-up (or by the environment). */
export function testNatsUrl(): string {
  const url = process.env['NATS_URL'];
  if (!url) throw new Error('NATS_URL is not set: integration tests run under the Jest global set-up');
  return url;
}

/** Where the Jest global set-up keeps the run's NATS nkey seeds (one file per identity). */
export const NATS_CREDENTIALS_DIR_VAR = 'INVITEFLOW_NATS_CREDENTIALS_DIR';

/**
 * A test's NATS credential: `test` (may do anything) unless the test stands in for a service.
 * Undefined when the run's NATS has authorization off (INVITEFLOW_NATS_AUTH=off).
 */
export function testNatsAuth(identity: NatsIdentity = 'test'): NatsClientAuth | undefined {
  const dir = process.env[NATS_CREDENTIALS_DIR_VAR];
  return dir ? { mode: 'nkey', seedFile: join(dir, nkeySeedFileName(identity)) } : undefined;
}

/** The same, as options for nats.js's own `connect` (tests that use it directly). */
export function testNatsConnectOptions(identity: NatsIdentity = 'test'): ReturnType<typeof natsAuthOptions> {
  return natsAuthOptions(testNatsAuth(identity));
}

/** The variables a service started by a test gets: its own nkey, or NATS_AUTH=off when the run has auth off. */
export function serviceNatsEnv(service: string): Record<string, string> {
  const identity = (SERVICE_NATS_IDENTITIES as readonly string[]).includes(service) ? (service as NatsIdentity) : 'test';
  const auth = testNatsAuth(identity);
  return auth?.mode === 'nkey' ? { NATS_NKEY_SEED_FILE: auth.seedFile } : { NATS_AUTH: 'off' };
}

export function testMongoUrl(): string {
  const url = process.env['MONGO_URL'];
  if (!url) throw new Error('MONGO_URL is not set: integration tests run under the Jest global set-up');
  return url;
}

/** A short random suffix for per-test database, stream and subject names. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** The run's local mail server (GreenMail, or MAIL_SMTP_URL / MAIL_IMAP_URL when set by hand). */
export interface TestMailServer {
  smtp: { host: string; port: number };
  imap: { host: string; port: number };
  /** GreenMail's REST API, when the run started GreenMail itself. */
  apiUrl?: string;
}

export function testMailServer(): TestMailServer {
  const smtp = process.env['MAIL_SMTP_URL'];
  const imap = process.env['MAIL_IMAP_URL'];
  if (!smtp || !imap) throw new Error('MAIL_SMTP_URL / MAIL_IMAP_URL are not set: mail tests run under the Jest global set-up');
  const endpoint = (url: string): { host: string; port: number } => {
    const parsed = new URL(url);
    return { host: parsed.hostname, port: Number(parsed.port) };
  };
  return { smtp: endpoint(smtp), imap: endpoint(imap), apiUrl: process.env['MAIL_API_URL'] };
}
