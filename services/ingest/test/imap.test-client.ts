// GreenMail helpers for the mailbox tests: a fresh user per test, and a second IMAP client
// that appends and inspects, as another mail client or the delivery agent would.
import { ImapFlow } from 'imapflow';
import { testMailServer, uniqueSuffix } from '@inviteflow/testing';
import { DEFAULT_PROCESSED_FLAG, type MailboxDefinition } from '../src/imap/mailbox.types';

/** A fresh GreenMail user (login = address) through its REST API. */
export async function greenMailMailbox(
  overrides: Partial<MailboxDefinition> = {}, server: Pick<ReturnType<typeof testMailServer>, 'imap' | 'apiUrl'> = testMailServer(),
): Promise<MailboxDefinition> {
  const email = `imap-${uniqueSuffix()}@example.org`;
  if (!server.apiUrl) throw new Error('these tests need the GreenMail the Jest set-up starts (MAIL_API_URL)');
  const res = await fetch(new URL('api/user', server.apiUrl), {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, login: email, password: email }),
  });
  if (!res.ok) throw new Error(`GreenMail refused the user: HTTP ${res.status}`);
  const def: MailboxDefinition = {
    id: `mb-${uniqueSuffix()}`, host: server.imap.host, port: server.imap.port, tls: false,
    auth: { user: email, password: email }, folder: 'INBOX', after: { kind: 'flag', flag: DEFAULT_PROCESSED_FLAG }, ...overrides,
  };
  return def;
}

export function invitation(messageId: string): string {
  return [
    'From: organiser@example.net', 'To: someone@example.org', `Message-ID: ${messageId}`, 'Subject: Invitation',
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'Lunch on Friday?', '',
  ].join('\r\n');
}

/** An invitation padded to about `bytes` with 76-character body lines. */
export function largeInvitation(messageId: string, bytes: number): string {
  const line = `${'A'.repeat(76)}\r\n`;
  return invitation(messageId) + line.repeat(Math.ceil(bytes / line.length));
}

/** A separate client, as another mail client or the delivery agent would be. */
export async function withClient<T>(def: MailboxDefinition, use: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({ host: def.host, port: def.port, secure: false, auth: { user: def.auth.user, pass: (def.auth as { password: string }).password }, logger: false });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.logout();
  }
}

export async function append(def: MailboxDefinition, raw: string): Promise<number> {
  const result = await withClient(def, (client) => client.append('INBOX', raw));
  if (!result) throw new Error('APPEND failed');
  return Number(result.uid ?? 0);
}

