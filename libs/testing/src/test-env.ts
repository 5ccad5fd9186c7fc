import { randomBytes } from 'node:crypto';

/** URLs provided by the Jest global set-up (or by the environment). */
export function testNatsUrl(): string {
  const url = process.env['NATS_URL'];
  if (!url) throw new Error('NATS_URL is not set: integration tests run under the Jest global set-up');
  return url;
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
