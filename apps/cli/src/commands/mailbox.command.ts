// `inviteflow mailbox add | list | remove | status`: the IMAP mailboxes ingest reads (issue 12,
// docs/mailbox.md), through ingest's MailboxService. A secret is given so that it stays out of
// shell history and `ps`: by reference (--password-file / --password-env: ingest reads it at
// connect, e.g. from a mounted Kubernetes Secret) or on stdin (--password-stdin). A plain
// --password works, with a warning.
import { readFileSync } from 'node:fs';
import { ingestV1 } from '@inviteflow/proto-gen';
import { cliError, EXIT, Output, table } from '../cli-output';
import { mailboxCall } from './mailbox.rpc';

export interface MailboxOptions {
  host?: string; port?: string; 'no-tls'?: boolean; user?: string; folder?: string; 'move-to'?: string; flag?: string; 'poll-interval'?: string; replace?: boolean;
  password?: string; 'password-file'?: string; 'password-env'?: string; 'password-stdin'?: boolean;
  token?: string; 'token-file'?: string; 'token-env'?: string; 'token-stdin'?: boolean;
}

export const MAILBOX_USAGE = `usage: mailbox add <id> --host H --user U (--password-file F | --password-env NAME | --password-stdin | --token-file F | --token-env NAME | --token-stdin)
                   [--port P] [--no-tls] [--folder F] [--move-to FOLDER | --flag KEYWORD] [--poll-interval S] [--replace]
       mailbox list | mailbox remove <id> | mailbox status [<id>]`;

/** Reads stdin to its end (a secret piped in: `printf %s "$PW" | inviteflow mailbox add ... --password-stdin`). */
export type ReadStdin = () => string;
const readStdin: ReadStdin = () => readFileSync(0, 'utf8');

export async function mailbox(args: string[], opts: MailboxOptions, address: string, out: Output, stdin: ReadStdin = readStdin): Promise<number> {
  const [sub, id, ...rest] = args;
  if (rest.length > 0) throw cliError('CLI_USAGE', MAILBOX_USAGE);
  switch (sub) {
    case 'add': {
      if (!id) throw cliError('CLI_USAGE', MAILBOX_USAGE);
      const req = addRequest(id, opts, stdin);
      const res = await mailboxCall<ingestV1.AddMailboxResponse>(address, (c, md, o, cb) => c.addMailbox(req, md, o, cb));
      out.result(ingestV1.AddMailboxResponse.toJSON(res), `${res.replaced ? 'replaced' : 'added'}; ingest reads it now (see: inviteflow mailbox status ${id})\n\n${mailboxesText(res.mailbox ? [res.mailbox] : [])}`);
      return EXIT.ok;
    }
    case 'list': {
      if (id) throw cliError('CLI_USAGE', MAILBOX_USAGE);
      const res = await mailboxCall<ingestV1.ListMailboxesResponse>(address, (c, md, o, cb) => c.listMailboxes({}, md, o, cb));
      out.result(ingestV1.ListMailboxesResponse.toJSON(res), mailboxesText(res.mailboxes));
      return EXIT.ok;
    }
    case 'remove': {
      if (!id) throw cliError('CLI_USAGE', MAILBOX_USAGE);
      await mailboxCall<ingestV1.RemoveMailboxResponse>(address, (c, md, o, cb) => c.removeMailbox({ id }, md, o, cb));
      out.result({ removed: id }, `removed ${id} (ingest stopped reading it; its checkpoint is kept)`);
      return EXIT.ok;
    }
    case 'status': {
      const res = await mailboxCall<ingestV1.MailboxStatusResponse>(address, (c, md, o, cb) => c.mailboxStatus({ id: id ?? '' }, md, o, cb));
      out.result(ingestV1.MailboxStatusResponse.toJSON(res), statusText(res.mailboxes));
      // A failing mailbox (retrying after an error) is a partial failure for scripts and probes.
      return res.mailboxes.some((m) => m.state === 'retrying') ? EXIT.partial : EXIT.ok;
    }
    default:
      throw cliError('CLI_USAGE', MAILBOX_USAGE);
  }
}

export function addRequest(id: string, opts: MailboxOptions, stdin: ReadStdin): ingestV1.AddMailboxRequest {
  if (!opts.host || !opts.user) throw cliError('CLI_USAGE', `mailbox add: --host and --user are required\n${MAILBOX_USAGE}`);
  if (opts['move-to'] && opts.flag) throw cliError('CLI_USAGE', 'mailbox add: --move-to or --flag, not both');
  const port = integer('--port', opts.port);
  const poll = integer('--poll-interval', opts['poll-interval']);
  const password = secretSource('password', opts.password, opts['password-file'], opts['password-env'], opts['password-stdin'], stdin);
  const accessToken = secretSource('token', opts.token, opts['token-file'], opts['token-env'], opts['token-stdin'], stdin);
  if (!password === !accessToken) throw cliError('CLI_USAGE', `mailbox add: one password or token source\n${MAILBOX_USAGE}`);
  return ingestV1.AddMailboxRequest.fromPartial({
    id, host: opts.host, port, tls: !opts['no-tls'], user: opts.user, folder: opts.folder ?? '',
    ...(password ? { password } : { accessToken }),
    ...(opts['move-to'] ? { after: { moveToFolder: opts['move-to'] } } : opts.flag ? { after: { flag: opts.flag } } : {}),
    pollIntervalSeconds: poll, replace: opts.replace ?? false,
  });
}

function secretSource(what: string, value: string | undefined, file: string | undefined, env: string | undefined, fromStdin: boolean | undefined, stdin: ReadStdin): ingestV1.SecretSource | undefined {
  const given = [value !== undefined, file !== undefined, env !== undefined, fromStdin === true].filter(Boolean).length;
  if (given > 1) throw cliError('CLI_USAGE', `mailbox add: one of --${what}, --${what}-file, --${what}-env, --${what}-stdin`);
  if (file !== undefined) return { file };
  if (env !== undefined) return { env };
  if (fromStdin) return { value: stdin().replace(/\r?\n$/, '') };
  if (value === undefined) return undefined;
  process.stderr.write(`inviteflow: warning: --${what} puts the secret into shell history and the process list; prefer --${what}-stdin, --${what}-file or --${what}-env\n`);
  return { value };
}

function integer(flag: string, value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw cliError('CLI_USAGE', `mailbox add: ${flag} must be a whole number, got ${value}`);
  return n;
}

export function mailboxesText(mailboxes: ingestV1.Mailbox[]): string {
  if (mailboxes.length === 0) return 'no mailboxes (add one: inviteflow mailbox add <id> --host H --user U --password-stdin)';
  return table(['id', 'server', 'tls', 'user', 'auth', 'secret', 'folder', 'after processing', 'poll'], mailboxes.map((m) => [
    m.id, `${m.host}:${m.port}`, m.tls ? 'yes' : 'no', m.user, m.authKind, `${m.authKind === 'oauth2' ? 'token' : 'password'}: ${m.secret}`, m.folder,
    m.after?.moveToFolder ? `move to ${m.after.moveToFolder}` : `flag ${m.after?.flag ?? ''}`, m.pollIntervalSeconds ? `${m.pollIntervalSeconds} s` : 'default',
  ]));
}

export function statusText(states: ingestV1.MailboxState[]): string {
  if (states.length === 0) return 'no mailboxes';
  const when = (d: Date | undefined): string => d?.toISOString() ?? '-';
  return table(['id', 'state', 'connected', 'last seen', 'backlog', 'processed', 'checkpoint', 'lease holder', 'last error'], states.map((s) => [
    s.id, s.state, s.connected ? 'yes' : 'no', when(s.lastSeenAt), String(s.backlog), String(s.processed),
    s.uidValidity ? `UIDVALIDITY ${s.uidValidity} UID ${s.lastUid}` : '-', s.leaseHolder || '-',
    s.lastErrorCode ? `${s.lastErrorCode}: ${s.lastError} (${when(s.lastErrorAt)})` : '-',
  ]));
}
