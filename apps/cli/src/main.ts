import { parseArgs } from 'node:util';
import { isAppError } from '@inviteflow/runtime';
import { CLI_ERROR_CODES, EXIT, cliError, exitCodeOf, isCliError, output } from './cli-output';
import { unknownWordError } from './command.suggest';
import { exitWhenFlushed } from './process.exit';
import { resolveEndpoints } from './endpoints';
import { clusterUp } from './commands/cluster-up.command';
import { directoryImport } from './commands/directory-import.command';
import { diary } from './commands/diary.command';
import { meeting } from './commands/meeting.command';
import { alias } from './commands/alias.command';
import { people } from './commands/people.command';
import { resolve } from './commands/resolve.command';
import { unresolved } from './commands/unresolved.command';
import { parseFile } from './commands/parse.command';
import { send } from './commands/send.command';
import { status } from './commands/status.command';
import { explain } from './commands/explain.command';
import { dlq } from './commands/dlq.command';
// ---- chaos (issue 14 §3) ----
import { chaos, parseFaults } from './chaos/chaos.command';
// ---- CRM commands ----
import { book, counter, meetingCrm, respond } from './commands/crm.command';
import { outbox } from './commands/outbox.command';
// ---- Settings ----
import { settings } from './commands/settings.command';
// ---- Mailboxes (issue 12) ----
import { mailbox } from './commands/mailbox.command';

const USAGE = `usage: inviteflow <command> [options]

  directory import <file.json> [--move-addresses] [--replace-aliases]
                                 add or update associates and persons (idempotent); a row
                                 naming another associate's address is refused (exit 1)
  diary <associate> [--from D] [--to D]
                                 every meeting instance in the associate's diary (id or
                                 address), series expanded, with its status; D is a date
                                 (2026-03-01, --to: end of that day) or an ISO instant.
                                 Default: one-off meetings whatever their date, series
                                 from 30 days ago to one year ahead
  meeting show <uid> [--owner <associate>] [--json | --ics]
                                 every copy of a meeting (or the owner's): organizer,
                                 SEQUENCE, status, master, overrides, EXDATEs, attendees
                                 x instances PARTSTAT, conference, proposals, cautions
  meeting import <file.ics> --owner <associate>
                                 seed the owner's copy from one meeting's iCalendar (the
                                 organizer's copy when the owner is its ORGANIZER)
  meeting history <uid>          every message that touched the meeting, in arrival order
  people add <name> <address> [--alias A ...] [--time-zone Z] [--locale L] [--group G]
  people add --person <name> [<address> ...] [--company C]
  people list [--associates | --persons]   people show <id | address>
  alias add <address> <owner>    give an associate (id or address) another address
  alias remove <address> [--owner O]
  resolve <address>...           what each address resolves to, and why
  unresolved [--all] [--limit N] addresses in our domains nobody holds (invites parked)
  send <file.eml> [--from A] [--to B ...]
                                 submit a raw message to the ingest SMTP listener
  parse <file.eml|file.ics> [--from A] [--to B ...]
                                 run the parser offline: outcome, reason, warnings and
                                 each normalised iTIP message (--json: as on invite.parsed)
  status [--max-backlog-age D]   streams, consumers, pending, oldest pending age, dead letters,
                                 and the not-in-sync marking's progress; exit 1 with dead
                                 letters, or when a consumer's oldest pending message is older
                                 than D (e.g. 60s, 5m; default 5m)
  explain <mail id | Message-ID> [--scan-limit N]
                                 what happened to a delivered message: received, parsed,
                                 per UID and recipient the outcome, reason and changes,
                                 dead letters (exit 4: unknown)
  dlq list [--subject S] [--limit N]
                                 dead letters: seq, subject, code, reason, mail id
  dlq replay <seq...> | --all [--subject S]
                                 republish dead letters to their subject (new msgId), then
                                 remove them; exit 1 if any was not replayed
  cluster up [--domain D ...]    run infrastructure and all five services locally
  chaos [--faults F,...] [--rate N] [--invitations N] [--stall-seconds S] [--max-minutes M]
        [--attachment-kb N [--attachment-every K]]
        [--report FILE]          a cluster of its own under load; kill -9 each service, then
                                 NATS, a poison message, a stalled parser; reports per fault;
                                 exit 1 on any lost or duplicated invitation (./dev chaos);
                                 with --attachment-kb, 1 in K (10) invitations carries an
                                 N KiB file (the raw-mail object store's path)

  CRM commands (each prints the change, the SEQUENCE and one mail command per external):
  book <organizer> --summary S --start T --end T --participant A [--participant B ...]
       [--time-zone Z] [--all-day] [--rrule R] [--location L] [--description D]
       [--conference URL] [--request-id ID] [--uid U]
                                 book a meeting; T is 2026-03-10T09:00 in the zone (default:
                                 the organizer's), an instant, or a date with --all-day
  meeting update <uid> --owner <organizer> [--instance RID] [--summary S] [--location L]
       [--description D] [--conference URL] [--start T --end T] [--rrule R] [--participant A ...]
  meeting cancel <uid> --owner <organizer> [--instance RID]
  meeting remove-attendee <uid> <address>... --owner <organizer>
  respond <uid> accept|decline|tentative --owner <associate> [--instance RID] [--comment C]
  counter propose <uid> --owner <associate> --start T --end T [--instance RID] [--comment C]
  counter accept|decline <uid> --owner <organizer> --from <attendee> [--instance RID] [--comment C]
  outbox [--uid U] [--limit N]   outbound commands on mail.outbound-requested.v1 and each mail's
                                 delivery: queued, deferred (next attempt), sent (the relay's
                                 answer) or failed (why)

  Settings:
  settings get [--associate A]   "Manage incoming invitations" per level (and A's effective
                                 value), the calendar synchronizer preference, the upgrade
                                 detection and the not-in-sync marking
  settings set incoming-policy <enable-all | no-tentative-creation | no-creation-updates-replies
       | disable-all | inherit> [--group G | --associate A]   (no option: the system level)
  settings set synchronizer <on | off> [--reason R]

  Mailboxes (IMAP mailboxes ingest reads invitations from; docs/mailbox.md):
  mailbox add <id> --host H --user U (--password-stdin | --password-file F | --password-env NAME
       | --token-stdin | --token-file F | --token-env NAME) [--port P] [--no-tls] [--folder F]
       [--move-to FOLDER | --flag KEYWORD] [--poll-interval S] [--replace]
                                 -file / -env: ingest reads the secret at connect (a mounted
                                 Secret under its MAILBOX_SECRETS_DIR, or MAILBOX_SECRET_*)
  mailbox list                   definitions; a secret shows as "set" or where it is read from
  mailbox remove <id>            stop reading it (its checkpoint is kept)
  mailbox status [<id>]          connected, last seen, backlog, last error, lease holder
                                 (exit 1 while a mailbox is failing)

  --json   machine-readable output
exit codes: 0 ok, 1 partly failed, 2 usage, 3 service unavailable, 4 not found,
            5 parse: no invitation (ignored or rejected)`;

/** Each command, with its sub-commands where it has them (for "did you mean"). */
const COMMANDS: Readonly<Record<string, readonly string[]>> = {
  directory: ['import'], diary: [], meeting: ['show', 'import', 'history', 'update', 'cancel', 'remove-attendee'], people: ['add', 'list', 'show'], alias: ['add', 'remove'], resolve: [],
  unresolved: [], send: [], parse: [], status: [], explain: [], dlq: ['list', 'replay'], cluster: ['up'],
  chaos: [],
  // ---- CRM commands ----
  book: [], respond: [], counter: ['propose', 'accept', 'decline'], outbox: [],
  // ---- Settings ----
  settings: ['get', 'set'],
  // ---- Mailboxes ----
  mailbox: ['add', 'list', 'remove', 'status'],
};

/** An unknown command or sub-command names itself and the nearest known one (exit 2). */
function checkCommand(cmd: string, sub: string | undefined): void {
  const subs = COMMANDS[cmd];
  if (!subs) throw unknownWordError('command', cmd, Object.keys(COMMANDS));
  if (subs.length > 0 && sub !== undefined && !subs.includes(sub)) throw unknownWordError('sub-command', sub, subs, cmd);
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
      from: { type: 'string' }, to: { type: 'string', multiple: true }, domain: { type: 'string', multiple: true },
      alias: { type: 'string', multiple: true }, 'time-zone': { type: 'string' }, locale: { type: 'string' }, group: { type: 'string' }, person: { type: 'boolean' }, company: { type: 'string' }, associates: { type: 'boolean' }, persons: { type: 'boolean' }, owner: { type: 'string' }, ics: { type: 'boolean' }, all: { type: 'boolean' }, limit: { type: 'string' },
      subject: { type: 'string' }, 'scan-limit': { type: 'string' },
      // ---- CRM commands ----
      start: { type: 'string' }, end: { type: 'string' }, 'all-day': { type: 'boolean' }, rrule: { type: 'string' }, summary: { type: 'string' }, location: { type: 'string' },
      description: { type: 'string' }, conference: { type: 'string' }, participant: { type: 'string', multiple: true }, instance: { type: 'string' }, comment: { type: 'string' },
      'request-id': { type: 'string' }, uid: { type: 'string' },
      // ---- Settings ----
      associate: { type: 'string' }, reason: { type: 'string' },
      'move-addresses': { type: 'boolean' }, 'replace-aliases': { type: 'boolean' },
      // ---- Mailboxes ----
      host: { type: 'string' }, port: { type: 'string' }, 'no-tls': { type: 'boolean' }, user: { type: 'string' }, folder: { type: 'string' },
      'move-to': { type: 'string' }, flag: { type: 'string' }, 'poll-interval': { type: 'string' }, replace: { type: 'boolean' },
      password: { type: 'string' }, 'password-file': { type: 'string' }, 'password-env': { type: 'string' }, 'password-stdin': { type: 'boolean' },
      token: { type: 'string' }, 'token-file': { type: 'string' }, 'token-env': { type: 'string' }, 'token-stdin': { type: 'boolean' },
      // ---- status alerting and chaos (issue 14 §3, §4) ----
      'max-backlog-age': { type: 'string' }, faults: { type: 'string' }, rate: { type: 'string' }, invitations: { type: 'string' },
      'stall-seconds': { type: 'string' }, 'max-minutes': { type: 'string' }, report: { type: 'string' },
      'attachment-kb': { type: 'string' }, 'attachment-every': { type: 'string' },
    },
  });
  const out = output(values.json);
  const ep = resolveEndpoints();
  const [cmd, sub, arg] = positionals;
  if (values.help || !cmd) return usage(values.help ? EXIT.ok : EXIT.usage);
  checkCommand(cmd, sub);
  switch (cmd) {
    case 'directory':
      if (sub !== 'import' || !arg) return usage(EXIT.usage);
      return directoryImport(arg, ep.identityGrpc, out, { moveAddresses: values['move-addresses'], replaceAliases: values['replace-aliases'] });
    case 'diary':
      if (!sub || arg) return usage(EXIT.usage);
      return diary(sub, ep.appointmentGrpc, { from: values.from, to: values.to }, out);
    case 'meeting':
      // ---- CRM commands ----
      if (sub === 'update' || sub === 'cancel' || sub === 'remove-attendee') {
        if (!arg) return usage(EXIT.usage);
        return meetingCrm(sub, arg, positionals.slice(3), crmOptions(values), ep.appointmentGrpc, out);
      }
      return meeting(positionals.slice(1), { owner: values.owner, ics: values.ics, json: values.json }, ep.appointmentGrpc, out);
    case 'send':
      if (!sub) return usage(EXIT.usage);
      return send(sub, ep.smtp, { from: values.from, to: values.to }, out);
    case 'parse':
      if (!sub) return usage(EXIT.usage);
      return parseFile(sub, { from: values.from, to: values.to }, out);
    case 'people':
      return people(positionals.slice(1), values, ep.identityGrpc, out);
    case 'alias':
      return alias(positionals.slice(1), values, ep.identityGrpc, out);
    case 'resolve':
      return resolve(positionals.slice(1), ep.identityGrpc, out);
    case 'unresolved':
      return unresolved(values, ep.identityGrpc, out);
    case 'status':
      return status(ep.natsUrl, out, ep.appointmentGrpc, ep.outboundGrpc, { maxBacklogAge: values['max-backlog-age'] });
    case 'explain':
      if (!sub || arg) return usage(EXIT.usage);
      return explain(sub, ep, { scanLimit: values['scan-limit'] }, out);
    case 'dlq':
      return dlq(positionals.slice(1), values, ep.natsUrl, out);
    // ---- CRM commands ----
    case 'book':
      return book(positionals.slice(1), crmOptions(values), ep.appointmentGrpc, out);
    case 'respond':
      return respond(positionals.slice(1), crmOptions(values), ep.appointmentGrpc, out);
    case 'counter':
      return counter(positionals.slice(1), crmOptions(values), ep.appointmentGrpc, out);
    case 'outbox':
      if (sub) return usage(EXIT.usage);
      return outbox({ uid: values.uid, limit: values.limit }, ep.natsUrl, out, ep.outboundGrpc);
    // ---- Settings ----
    case 'settings':
      return settings(positionals.slice(1), { associate: values.associate, group: values.group, reason: values.reason }, ep.appointmentGrpc, out);
    // ---- Mailboxes ----
    case 'mailbox':
      return mailbox(positionals.slice(1), values, ep.ingestGrpc ?? '127.0.0.1:50054', out);
    case 'cluster':
      if (sub !== 'up') return usage(EXIT.usage);
      return clusterUp({ domains: values.domain ?? ['example.org', 'example.com'] });
    // ---- chaos (issue 14 §3) ----
    case 'chaos':
      if (sub) return usage(EXIT.usage);
      return chaos({
        faults: parseFaults(values.faults), rate: positiveNumber(values.rate, 20, '--rate'), perPhase: positiveNumber(values.invitations, 150, '--invitations'),
        stallSeconds: positiveNumber(values['stall-seconds'], 8, '--stall-seconds'), maxMinutes: positiveNumber(values['max-minutes'], 15, '--max-minutes'),
        reportFile: values.report ?? 'reports/chaos.json',
        ...(values['attachment-kb'] === undefined ? {} : {
          attachment: { kb: positiveNumber(values['attachment-kb'], 0, '--attachment-kb'), every: positiveNumber(values['attachment-every'], 10, '--attachment-every') },
        }),
      });
    default:
      return usage(EXIT.usage);
  }
}

// ---- chaos (issue 14 §3) ----
function positiveNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw cliError(CLI_ERROR_CODES.usage, `${name} must be a positive number, not '${value}'`);
  return n;
}

// ---- CRM commands ----
/** --from is a string for every command; --to (a list) is not used by the CRM commands. */
function crmOptions(values: Record<string, unknown>): Parameters<typeof book>[1] {
  const { to: _to, ...rest } = values;
  return rest as Parameters<typeof book>[1];
}

function usage(code: number): number {
  (code === EXIT.ok ? process.stdout : process.stderr).write(USAGE + '\n');
  return code;
}

/** What a failure prints; the exit code comes from its code (cli-errors.ts). */
function report(err: unknown): number {
  if (isCliError(err)) {
    process.stderr.write(`inviteflow: ${err.message}\n`);
    return exitCodeOf(err);
  }
  // Another part's AppError (no NATS for `cluster up`, a service that would not start): its
  // message is written for people too; the code says where it came from.
  if (isAppError(err)) {
    process.stderr.write(`inviteflow: ${err.message} [${err.code}]\n`);
    return exitCodeOf(err);
  }
  const code = (err as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    process.stderr.write(`inviteflow: ${(err as Error).message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`inviteflow: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
  return EXIT.partial;
}

// Exit only after stdout and stderr have drained: a piped `--json` must arrive whole.
void run(process.argv.slice(2)).then(exitWhenFlushed, (err: unknown) => exitWhenFlushed(report(err)));
