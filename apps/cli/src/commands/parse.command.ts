import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import {
  DEFAULT_PARSE_LIMITS,
  describeOutcome,
  parseCalendarText,
  parseMail,
  type MailParseContext,
  type ParseOutcome,
} from '@inviteflow/parser-core';
import { eventsV1 } from '@inviteflow/proto-gen';
import { cliError, EXIT, Output } from '../cli-output';
import { formatOutcome } from './parse-report';

/** What a parse reads the file as: a delivered message, or a bare iCalendar object. */
export type ParseInput = 'mail' | 'calendar';

/**
 * `inviteflow parse <file.eml|file.ics>`: the parser service's own core, run offline on one
 * file, with the service's default limits. Prints the outcome the pipeline would record and
 * every normalised iTIP message; with --json each message exactly as invite.parsed.v1 carries
 * it. Exit 0 when it parsed, EXIT.noInvitation when it was ignored or rejected.
 */
export async function parseFile(file: string, envelope: { from?: string; to?: string[] }, out: Output): Promise<number> {
  const raw = readInput(file);
  const input = inputKind(file, raw);
  // A file has no SMTP envelope; --from/--to supply one, as ingest would have recorded it.
  const ctx: MailParseContext = { mailId: `file:${basename(file)}`, envelopeFrom: envelope.from ?? '', envelopeTo: envelope.to ?? [] };
  const started = performance.now();
  const outcome = input === 'mail'
    ? await parseMail(raw, ctx, DEFAULT_PARSE_LIMITS)
    : parseCalendarText(raw.toString('utf8'), ctx, DEFAULT_PARSE_LIMITS);
  // The service also bounds wall-clock time per message (its parse workers); this run has no
  // such bound, so the time taken is shown for comparison with the service's budget.
  const elapsedMs = Math.round((performance.now() - started) * 10) / 10;
  out.result({ ...outcomeJson(file, input, outcome), elapsedMs }, formatOutcome(`${file} (${input}, ${raw.length} bytes, took ${elapsedMs} ms)`, outcome));
  return outcome.kind === 'parsed' ? EXIT.ok : EXIT.noInvitation;
}

function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw cliError('CLI_FILE_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`);
  }
}

/**
 * .ics/.ical/.ifb, or content that starts with BEGIN:VCALENDAR, is a bare calendar object;
 * anything else is read as a delivered RFC 5322 message, as ingest would hand it to the parser.
 */
export function inputKind(file: string, raw: Buffer): ParseInput {
  if (['.ics', '.ical', '.ifb'].includes(extname(file).toLowerCase())) return 'calendar';
  const head = raw.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return /^BEGIN:VCALENDAR/i.test(head) ? 'calendar' : 'mail';
}

/** The outcome plus each invite in its wire form (eventsV1.InviteParsed.toJSON). */
function outcomeJson(file: string, input: ParseInput, outcome: ParseOutcome): Record<string, unknown> {
  const common = { file, input, outcome: outcome.kind, summary: describeOutcome(outcome) };
  if (outcome.kind === 'parsed') return { ...common, invites: outcome.invites.map((invite) => eventsV1.InviteParsed.toJSON(invite)) };
  return { ...common, reasonCode: outcome.reasonCode, detail: outcome.detail, invites: [] };
}
