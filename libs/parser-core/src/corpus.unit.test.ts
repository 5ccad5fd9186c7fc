import { eventsV1 } from '@inviteflow/proto-gen';
import { corpusBytes, corpusManifest, TEST_CONTEXT } from '@inviteflow/testing';
import { parseCalendarText } from './calendar-parser';
import { describeOutcome, IGNORED_REASONS, REJECTED_REASONS, type ParseOutcome } from './parse-outcome';
import { parseMail } from './parse-mail';

// Every file of the shared corpus (domain.md §6) ends in exactly one well-formed outcome, without
// throwing. Which outcome each file should have is pinned by test/golden.unit.test.ts.
// CORPUS_SUMMARY=1 prints the count per outcome and reason.
const manifest = corpusManifest();
const summary = new Map<string, number>();

async function parseFile(file: string): Promise<ParseOutcome> {
  const raw = corpusBytes(file);
  return file.endsWith('.eml') ? parseMail(raw, TEST_CONTEXT) : parseCalendarText(raw.toString('utf8'), TEST_CONTEXT);
}

function expectWellFormed(outcome: ParseOutcome): void {
  switch (outcome.kind) {
    case 'parsed':
      expect(outcome.invites.length).toBeGreaterThan(0);
      for (const invite of outcome.invites) {
        expect(invite.uid).not.toBe('');
        expect(invite.events.length).toBeGreaterThan(0);
        // The master, if any, comes first: only the first event may lack a RECURRENCE-ID.
        expect(invite.events.slice(1).every((event) => event.recurrenceId !== '')).toBe(true);
        expect(eventsV1.InviteParsed.decode(eventsV1.InviteParsed.encode(invite).finish())).toEqual(invite);
      }
      return;
    case 'ignored':
      expect(IGNORED_REASONS).toContain(outcome.reasonCode);
      return;
    case 'rejected':
      expect(REJECTED_REASONS).toContain(outcome.reasonCode);
      expect(outcome.reasonCode).not.toBe('PARSER_FAILURE');
      return;
    default: {
      const unexpected: never = outcome;
      throw new Error(`unexpected outcome ${JSON.stringify(unexpected)}`);
    }
  }
}

describe('the shared corpus', () => {
  test('Then the manifest lists every corpus file', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(50);
  });

  test.each(manifest.map((entry) => [entry.file]))('When %s is parsed, then it ends in exactly one well-formed outcome', async (file) => {
    // Act
    const outcome = await parseFile(file);

    // Assert
    expectWellFormed(outcome);
    const label = outcome.kind === 'parsed' ? 'parsed' : describeOutcome(outcome);
    summary.set(label, (summary.get(label) ?? 0) + 1);
  });

  afterAll(() => {
    if (process.env.CORPUS_SUMMARY) {
      const lines = [...summary.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, count]) => `${count}\t${label}`);
      process.stdout.write(`\ncorpus outcomes (${manifest.length} files):\n${lines.join('\n')}\n`);
    }
  });
});
