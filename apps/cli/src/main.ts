import { parseArgs } from 'node:util';
import { CliError, EXIT, output } from './cli-output';
import { resolveEndpoints } from './endpoints';
import { clusterUp } from './commands/cluster-up.command';
import { directoryImport } from './commands/directory-import.command';
import { diary } from './commands/diary.command';
import { alias } from './commands/alias.command';
import { people } from './commands/people.command';
import { resolve } from './commands/resolve.command';
import { unresolved } from './commands/unresolved.command';
import { parseFile } from './commands/parse.command';
import { send } from './commands/send.command';
import { status } from './commands/status.command';
import { explain } from './commands/explain.command';
import { dlq } from './commands/dlq.command';

const USAGE = `usage: inviteflow <command> [options]

  directory import <file.json>   add or update associates and persons (idempotent)
  diary <associate address>      the associate's appointments
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
  status                         streams, consumers, pending, oldest pending age, dead letters
  explain <mail id | Message-ID> [--scan-limit N]
                                 what happened to a delivered message: received, parsed,
                                 applied / parked per UID, dead letters (exit 4: unknown)
  dlq list [--subject S] [--limit N]
                                 dead letters: seq, subject, code, reason, mail id
  dlq replay <seq...> | --all [--subject S]
                                 republish dead letters to their subject (new msgId), then
                                 remove them; exit 1 if any was not replayed
  cluster up [--domain D ...]    run infrastructure and all five services locally

  --json   machine-readable output
exit codes: 0 ok, 1 partly failed, 2 usage, 3 service unavailable, 4 not found,
            5 parse: no invitation (ignored or rejected)`;

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
      from: { type: 'string' }, to: { type: 'string', multiple: true }, domain: { type: 'string', multiple: true },
      alias: { type: 'string', multiple: true }, 'time-zone': { type: 'string' }, locale: { type: 'string' }, group: { type: 'string' }, person: { type: 'boolean' }, company: { type: 'string' }, associates: { type: 'boolean' }, persons: { type: 'boolean' }, owner: { type: 'string' }, all: { type: 'boolean' }, limit: { type: 'string' },
      subject: { type: 'string' }, 'scan-limit': { type: 'string' },
    },
  });
  const out = output(values.json);
  const ep = resolveEndpoints();
  const [cmd, sub, arg] = positionals;
  if (values.help || !cmd) return usage(values.help ? EXIT.ok : EXIT.usage);
  switch (cmd) {
    case 'directory':
      if (sub !== 'import' || !arg) return usage(EXIT.usage);
      return directoryImport(arg, ep.identityGrpc, out);
    case 'diary':
      if (!sub) return usage(EXIT.usage);
      return diary(sub, ep.appointmentGrpc, out);
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
      return status(ep.natsUrl, out);
    case 'explain':
      if (!sub || arg) return usage(EXIT.usage);
      return explain(sub, ep, { scanLimit: values['scan-limit'] }, out);
    case 'dlq':
      return dlq(positionals.slice(1), values, ep.natsUrl, out);
    case 'cluster':
      if (sub !== 'up') return usage(EXIT.usage);
      return clusterUp({ domains: values.domain ?? ['example.org', 'example.com'] });
    default:
      return usage(EXIT.usage);
  }
}

function usage(code: number): number {
  (code === EXIT.ok ? process.stdout : process.stderr).write(USAGE + '\n');
  return code;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`inviteflow: ${err.message}\n`);
      process.exit(err.exitCode);
    }
    const code = (err as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`inviteflow: ${(err as Error).message}\n${USAGE}\n`);
      process.exit(EXIT.usage);
    }
    process.stderr.write(`inviteflow: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(EXIT.partial);
  },
);
