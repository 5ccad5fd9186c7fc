// One fuzz case end to end, and the tally a run keeps: every input must end in exactly one
// well-formed outcome, without an exception and within a per-case time bound.
import { eventsV1 } from '@inviteflow/proto-gen';
import { parseCalendarText } from '../../src/calendar-parser';
import { parseMail } from '../../src/parse-mail';
import { describeOutcome, IGNORED_REASONS, REJECTED_REASONS, type ParseOutcome } from '../../src/parse-outcome';
import { TEST_CONTEXT } from '@inviteflow/testing';
import type { CorpusCase } from './corpus-mutations';

export interface FuzzTally {
  cases: number;
  byOutcome: Map<string, number>;
  slowest: { ms: number; testCase?: CorpusCase; outcome?: string };
}

export function newTally(): FuzzTally {
  return { cases: 0, byOutcome: new Map(), slowest: { ms: 0 } };
}

/** Parses one case as the service would (.eml as mail, .ics as bare calendar text) and checks it. */
export async function runCase(testCase: CorpusCase, tally: FuzzTally, maxMs: number): Promise<void> {
  const started = performance.now();
  const outcome = testCase.file.endsWith('.eml')
    ? await parseMail(testCase.raw, TEST_CONTEXT)
    : parseCalendarText(testCase.raw.toString('utf8'), TEST_CONTEXT);
  const ms = performance.now() - started;
  const label = describeOutcome(outcome);
  tally.cases += 1;
  tally.byOutcome.set(label, (tally.byOutcome.get(label) ?? 0) + 1);
  if (ms > tally.slowest.ms) tally.slowest = { ms, testCase, outcome: label };
  assertWellFormed(outcome);
  if (ms > maxMs) throw new Error(`${testCase.file} [${testCase.mutations.join(' ')}] took ${ms.toFixed(0)} ms (bound ${maxMs} ms)`);
}

/** Exactly one outcome, of a known kind and reason, that survives the wire format. */
function assertWellFormed(outcome: ParseOutcome): void {
  switch (outcome.kind) {
    case 'parsed':
      if (outcome.invites.length === 0) throw new Error('parsed with no invite');
      for (const invite of outcome.invites) {
        if (!invite.uid || invite.events.length === 0) throw new Error(`invite without uid or events: ${invite.uid}`);
        const wire = eventsV1.InviteParsed.decode(eventsV1.InviteParsed.encode(invite).finish());
        if (wire.uid !== invite.uid || wire.events.length !== invite.events.length) throw new Error('invite does not survive encoding');
      }
      return;
    case 'ignored':
      if (!(IGNORED_REASONS as readonly string[]).includes(outcome.reasonCode)) throw new Error(`unknown ignore reason ${outcome.reasonCode}`);
      return;
    case 'rejected':
      if (!(REJECTED_REASONS as readonly string[]).includes(outcome.reasonCode)) throw new Error(`unknown reject reason ${outcome.reasonCode}`);
      if (outcome.reasonCode === 'PARSER_FAILURE') throw new Error(`an exception escaped a library: ${outcome.detail}`);
      return;
    default:
      throw new Error(`not an outcome: ${JSON.stringify(outcome)}`);
  }
}

export function summarise(tally: FuzzTally): string {
  const rows = [...tally.byOutcome.entries()].sort(([, a], [, b]) => b - a).map(([label, n]) => `${String(n).padStart(8)}  ${label}`);
  const slow = tally.slowest;
  const what = slow.testCase ? `${slow.testCase.file} [${slow.testCase.mutations.join(' ')}] → ${slow.outcome}` : '-';
  return [`${tally.cases} cases`, ...rows, `slowest: ${slow.ms.toFixed(1)} ms, ${what}`].join('\n');
}
