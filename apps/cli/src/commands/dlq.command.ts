import { DEAD_LETTER_PREFIX, deadLetterSubject, STREAMS } from '@inviteflow/contracts';
import { cliError, EXIT, Output, table } from '../cli-output';
import { DeadLetter, toDeadLetter } from './dead-letter.record';
import { replayDeadLetter, ReplayResult } from './dlq.replay';
import { withNats } from './nats.session';
import { scanStream, ScanStats } from './stream.scan';

export interface DlqOptions {
  subject?: string;
  limit?: string;
  all?: boolean;
}

const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 10_000;

/** `inviteflow dlq list | replay`. */
export async function dlq(args: string[], opts: DlqOptions, natsUrl: string, out: Output): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list' && rest.length === 0 && !opts.all) return dlqList(opts, natsUrl, out);
  if (sub === 'replay') return dlqReplay(rest, opts, natsUrl, out);
  throw cliError('CLI_USAGE', 'usage: inviteflow dlq list [--subject S] [--limit N] | dlq replay <seq...> | dlq replay --all [--subject S]');
}

/**
 * `dlq list [--subject S] [--limit N]`: dead letters, oldest first, with the reason they carry
 * and the mail they belong to when the payload decodes. Reads at most N messages of the DLQ
 * stream (default 100); the total is reported so nothing is hidden.
 */
async function dlqList(opts: DlqOptions, natsUrl: string, out: Output): Promise<number> {
  const limit = opts.limit === undefined ? DEFAULT_LIST_LIMIT : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw cliError('CLI_USAGE', `--limit must be an integer 1-${MAX_LIST_LIMIT}`);
  const filter = filterSubject(opts.subject);
  const { letters, scan } = await withNats(natsUrl, ({ js }) => readDeadLetters(js, filter, limit));
  const rows = letters.map((d) => [String(d.seq), d.at, d.originalSubject, d.code, String(d.deliveries), d.mailId ?? '-', oneLine(d.reason, 80)]);
  const more = scan.matching > letters.length ? `\n\n${letters.length} of ${scan.matching} shown; raise --limit for more` : '';
  out.result(
    { filter, total: scan.matching, deadLetters: letters },
    letters.length === 0
      ? `no dead letters${opts.subject ? ` on ${filter}` : ''}`
      : `${table(['seq', 'dead-lettered (UTC)', 'subject', 'code', 'deliveries', 'mail id', 'reason'], rows)}${more}\nreplay with: inviteflow dlq replay <seq...>`,
  );
  return EXIT.ok;
}

/**
 * `dlq replay <seq...> | --all [--subject S]`: each dead letter back to its original subject,
 * one at a time, removed only after the publish was acknowledged. `--all` takes the dead
 * letters present when it starts: one that fails again while the command runs gets a new
 * sequence and is not replayed in a loop. Exit 0 when all were replayed, 1 otherwise.
 */
async function dlqReplay(seqArgs: string[], opts: DlqOptions, natsUrl: string, out: Output): Promise<number> {
  if (!!opts.all === seqArgs.length > 0 || (opts.subject !== undefined && !opts.all)) {
    throw cliError('CLI_USAGE', 'usage: inviteflow dlq replay <seq...> | dlq replay --all [--subject S]');
  }
  const seqs = seqArgs.map(Number);
  const bad = seqArgs.filter((_, i) => !Number.isSafeInteger(seqs[i]) || seqs[i]! < 1);
  if (bad.length > 0) throw cliError('CLI_USAGE', `not a dead-letter sequence: ${bad.join(', ')}`);

  const results = await withNats(natsUrl, async ({ js, jsm }) => {
    let targets = seqs;
    if (opts.all) {
      // Missing stream: nothing was ever dead-lettered.
      const lastSeq = (await jsm.streams.info(STREAMS.deadLetter.name).catch(() => null))?.state.last_seq ?? 0;
      const { letters } = await readDeadLetters(js, filterSubject(opts.subject), Number.MAX_SAFE_INTEGER);
      targets = letters.map((d) => d.seq).filter((s) => s <= lastSeq);
    }
    const done: ReplayResult[] = [];
    for (const seq of [...new Set(targets)]) done.push(await replayDeadLetter(js, jsm, seq));
    return done;
  });
  const failed = results.filter((r) => r.result !== 'replayed');
  const rows = results.map((r) => [String(r.seq), r.originalSubject || '-', r.mailId ?? '-', r.result, r.result === 'replayed' ? `${r.stream} #${r.streamSeq}` : r.error]);
  out.result(
    { replayed: results.length - failed.length, failed: failed.length, results },
    results.length === 0
      ? 'nothing to replay'
      : `${table(['seq', 'subject', 'mail id', 'result', 'now / why'], rows)}\n\n${results.length - failed.length} replayed, ${failed.length} not`,
  );
  return failed.length === 0 ? EXIT.ok : EXIT.partial;
}

async function readDeadLetters(js: Parameters<typeof scanStream>[0], filter: string, limit: number): Promise<{ letters: DeadLetter[]; scan: ScanStats }> {
  const letters: DeadLetter[] = [];
  const scan = await scanStream(js, { stream: STREAMS.deadLetter.name, subjects: [filter], limit }, (m) => letters.push(toDeadLetter(m)));
  return { letters, scan };
}

/** `--subject invite.parsed.v1` or `dlq.invite.parsed.v1`; all dead letters without it. */
function filterSubject(subject: string | undefined): string {
  if (subject === undefined) return `${DEAD_LETTER_PREFIX}.>`;
  if (!/^[A-Za-z0-9_.*>-]+$/.test(subject)) throw cliError('CLI_USAGE', `--subject ${subject}: not a NATS subject`);
  return subject.startsWith(`${DEAD_LETTER_PREFIX}.`) ? subject : deadLetterSubject(subject);
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
