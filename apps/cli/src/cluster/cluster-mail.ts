// The local cluster's mail server (issue 11 §7): GreenMail on loopback, on fixed ports, with a
// mailbox for every address in examples/directory.json, as outbound mail's relay. A user books
// a meeting and reads the invitation that went out (README, Walk-through).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraPaths, LocalMailServer, MailUser, startLocalMailServer } from '@inviteflow/infra';

/** GreenMail's own "test" ports (3025 SMTP, 3143 IMAP) and its REST API beside them. */
export const LOCAL_MAIL_PORTS = { smtp: 3025, imap: 3143, api: 3080 } as const;

/** Loopback only, and printed by `./dev up`: a local convenience, not a secret. */
export const LOCAL_MAIL_PASSWORD = 'inviteflow';

/** Where outbound-mail hands mail to; serviceEnv turns it into SMTP_RELAY_HOST / _PORT. */
export interface MailRelay {
  host: string;
  port: number;
}

export async function startClusterMail(paths: InfraPaths): Promise<LocalMailServer> {
  return startLocalMailServer(paths, {
    smtpPort: LOCAL_MAIL_PORTS.smtp, imapPort: LOCAL_MAIL_PORTS.imap, apiPort: LOCAL_MAIL_PORTS.api,
    users: exampleMailUsers(paths.root), name: 'mail-local',
    // Ctrl-C must not reach it before the services that hand mail to it have stopped.
    ownProcessGroup: true,
  });
}

/** Every associate's primary address and every person's address in the example directory. */
export function exampleMailUsers(root: string, password = LOCAL_MAIL_PASSWORD): MailUser[] {
  const file = join(root, 'examples/directory.json');
  if (!existsSync(file)) return [];
  const directory = JSON.parse(readFileSync(file, 'utf8')) as {
    associates?: Array<{ primaryAddress?: string }>;
    persons?: Array<{ addresses?: string[] }>;
  };
  const addresses = [
    ...(directory.associates ?? []).map((a) => a.primaryAddress),
    ...(directory.persons ?? []).flatMap((p) => p.addresses ?? []),
  ].filter((a): a is string => typeof a === 'string' && a.includes('@'));
  return [...new Set(addresses.map((a) => a.toLowerCase()))].map((email) => ({ email, password }));
}

export function describeClusterMail(mail: LocalMailServer): string {
  return `mail server ready: SMTP ${mail.smtp.host}:${mail.smtp.port} (outbound relay), IMAP ${mail.imap.host}:${mail.imap.port}, ` +
    `REST ${mail.apiUrl} — ${mail.users.length} mailboxes (login = address, password ${LOCAL_MAIL_PASSWORD}); any other address gets one on first mail`;
}
