import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ManagedProcess, spawnServer } from './child-process';
import { checkImapGreeting, checkSmtpBanner } from './health-check';
import { InfraPaths } from './paths';
import { INFRA_ERROR_CODES, infraError } from './infra.errors';
import { isAppError } from '@inviteflow/runtime';

/** A mailbox on the local mail server: IMAP login is the whole address. */
export interface MailUser {
  email: string;
  password: string;
}

export interface MailEndpoint {
  host: string;
  port: number;
}

/** GreenMail on loopback: SMTP in, IMAP out, and its REST API (users, messages, purge). */
export interface LocalMailServer {
  smtp: MailEndpoint;
  imap: MailEndpoint;
  /** e.g. http://127.0.0.1:3080/ — `GET api/user/<email>/messages/INBOX` lists a mailbox. */
  apiUrl: string;
  users: readonly MailUser[];
  proc: ManagedProcess;
}

export interface LocalMailOptions {
  /** 0 (default): a free loopback port is picked (see pickFreePort). */
  smtpPort?: number;
  imapPort?: number;
  apiPort?: number;
  /**
   * Mailboxes created at start. Mail to any other address is still accepted: GreenMail then
   * creates the mailbox itself, with the address as login and as password.
   */
  users?: readonly MailUser[];
  heapMb?: number;
  name?: string;
  ownProcessGroup?: boolean;
}

/** The jar scripts/setup.sh downloaded (one pinned version is kept in .tools/greenmail). */
export function greenMailJar(paths: InfraPaths): string {
  const dir = join(paths.toolsDir, 'greenmail');
  const jar = existsSync(dir) ? readdirSync(dir).find((f) => /^greenmail-standalone-.*\.jar$/.test(f)) : undefined;
  if (!jar) throw infraError(INFRA_ERROR_CODES.toolNotBuilt, `GreenMail is not prepared at ${dir} (run ./dev setup; it needs curl and a JDK 17)`);
  return join(dir, jar);
}

/**
 * Starts GreenMail standalone (com.icegreen:greenmail-standalone) with a bounded heap.
 * Its mailboxes live in memory: a restart empties them.
 *
 * Ports: the standalone runner binds port 0 but never says which port it got, and with its
 * API on port 0 it does not finish starting (measured on 2.1.13), so port 0 here means "a
 * free loopback port picked just before the start". Another process can take that port in
 * between; the start is then tried once more with fresh ports.
 */
export async function startLocalMailServer(paths: InfraPaths, opts: LocalMailOptions = {}): Promise<LocalMailServer> {
  const jar = greenMailJar(paths);
  const picked = opts.smtpPort && opts.imapPort && opts.apiPort;
  try {
    return await startOnce(paths, jar, opts);
  } catch (err) {
    if (picked || !isAppError(err) || err.code !== INFRA_ERROR_CODES.processExitedEarly) throw err;
    return startOnce(paths, jar, opts);
  }
}

async function startOnce(paths: InfraPaths, jar: string, opts: LocalMailOptions): Promise<LocalMailServer> {
  const smtp = opts.smtpPort || (await pickFreePort());
  const imap = opts.imapPort || (await pickFreePort());
  const api = opts.apiPort || (await pickFreePort());
  const users = opts.users ?? [];
  const name = opts.name ?? 'greenmail';
  const { proc, match } = await spawnServer({
    name,
    command: 'java',
    args: [
      `-Xmx${opts.heapMb ?? 128}m`, '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1',
      ...greenMailProperties({ smtp, imap, api, users }),
      '-jar', jar,
    ],
    logFile: join(paths.logDir, `${name}.log`),
    // The runner starts its API only after SMTP and IMAP are up (GreenMailStandaloneRunner).
    readyLine: /Starting GreenMail API server at (\S+)/,
    startTimeoutMs: 60_000,
    ownProcessGroup: opts.ownProcessGroup,
  });
  const server: LocalMailServer = {
    smtp: { host: '127.0.0.1', port: smtp },
    imap: { host: '127.0.0.1', port: imap },
    apiUrl: match[1] ?? `http://127.0.0.1:${api}/`,
    users,
    proc,
  };
  try {
    await checkSmtpBanner(server.smtp);
    await checkImapGreeting(server.imap);
    await waitForApi(server.apiUrl, 30_000);
  } catch (err) {
    await proc.stop();
    throw infraError(INFRA_ERROR_CODES.processNotReady, `${name} started but does not answer: ${(err as Error).message}`, err);
  }
  return server;
}

/**
 * The runner logs "Starting GreenMail API server" before Jersey has bound the port (1–2 s on
 * a busy machine, measured): its readiness endpoint answers 200 once it serves.
 */
async function waitForApi(apiUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL('api/service/readiness', apiUrl), { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw infraError(INFRA_ERROR_CODES.processNotReady, `GreenMail's API at ${apiUrl} did not answer within ${timeoutMs} ms (${last})`);
}

/** GreenMail's system properties (its `-Dgreenmail.*` options), everything on loopback. */
export function greenMailProperties(p: { smtp: number; imap: number; api: number; users: readonly MailUser[] }): string[] {
  const props = [
    '-Dgreenmail.smtp.hostname=127.0.0.1', `-Dgreenmail.smtp.port=${p.smtp}`,
    '-Dgreenmail.imap.hostname=127.0.0.1', `-Dgreenmail.imap.port=${p.imap}`,
    '-Dgreenmail.api.hostname=127.0.0.1', `-Dgreenmail.api.port=${p.api}`,
    // Log in with the whole address (homer@example.org), not the local part: two domains may
    // hold the same local part.
    '-Dgreenmail.users.login=email',
    // Its default of 2 s is too short for a JVM on a busy 2-core machine.
    '-Dgreenmail.startup.timeout=30000',
  ];
  if (p.users.length > 0) props.push(`-Dgreenmail.users=${p.users.map(userSpec).join(',')}`);
  return props;
}

/** `login:password@domain`, GreenMail's user syntax: the separators cannot appear in a part. */
function userSpec(user: MailUser): string {
  const at = user.email.lastIndexOf('@');
  const local = user.email.slice(0, at);
  const domain = user.email.slice(at + 1);
  if (at <= 0 || /[:,@\s]/.test(local + domain + user.password)) {
    throw infraError(INFRA_ERROR_CODES.badMailUser, `mail user ${user.email}: address and password must not contain ':', ',', '@' (beyond the address's own) or spaces`);
  }
  return `${local}:${user.password}@${domain}`;
}

/** A port free on 127.0.0.1 right now (the OS picks it; the socket is closed at once). */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
