// Every corpus file (read in place, domain.md §6) against its reviewed golden outcome in
// test/golden/<corpus file>.json, and every input the project wrote itself
// (test/inputs/<name>.eml|.ics: one class of real-client damage each) against
// test/golden/inputs/<name>.json. An input without a golden fails, and so does a golden
// whose input is gone. `UPDATE_GOLDEN=1 npx jest libs/parser-core/test/golden` rewrites
// them; every rewritten golden is then reviewed by hand against its source (docs/parser.md).
import { eventsV1 } from '@inviteflow/proto-gen';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCalendarText } from '../src/calendar-parser';
import { parseMail } from '../src/parse-mail';
import type { ParseOutcome } from '../src/parse-outcome';
import { corpusBytes, corpusManifest, TEST_CONTEXT } from '@inviteflow/testing';

const GOLDEN_DIR = join(__dirname, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const GOLDEN_MAIL_ID = 'golden-mail-id';

interface Golden {
  file: string;
  kind: ParseOutcome['kind'];
  reasonCode?: string;
  detail?: string;
  invites?: unknown[];
}

export async function parseCorpusFile(file: string): Promise<ParseOutcome> {
  const raw = corpusBytes(file);
  const ctx = { ...TEST_CONTEXT, mailId: GOLDEN_MAIL_ID };
  return file.endsWith('.eml') ? parseMail(raw, ctx) : parseCalendarText(raw.toString('utf8'), ctx);
}

/** The outcome as JSON: invites exactly as they travel (InviteParsed.toJSON), nothing else. */
function toGolden(file: string, outcome: ParseOutcome): Golden {
  if (outcome.kind === 'parsed') return { file, kind: 'parsed', invites: outcome.invites.map((invite) => eventsV1.InviteParsed.toJSON(invite)) };
  return { file, kind: outcome.kind, reasonCode: outcome.reasonCode, detail: outcome.detail };
}

const goldenPath = (file: string): string => join(GOLDEN_DIR, `${file}.json`);
const manifest = corpusManifest();
const INPUTS_DIR = join(__dirname, 'inputs');
const INPUT_GOLDEN_DIR = join(GOLDEN_DIR, 'inputs');
const inputs = existsSync(INPUTS_DIR) ? readdirSync(INPUTS_DIR).filter((name) => /\.(eml|ics)$/.test(name)).sort() : [];

async function parseInput(file: string): Promise<ParseOutcome> {
  const raw = readFileSync(join(INPUTS_DIR, file));
  const ctx = { ...TEST_CONTEXT, mailId: GOLDEN_MAIL_ID };
  return file.endsWith('.eml') ? parseMail(raw, ctx) : parseCalendarText(raw.toString('utf8'), ctx);
}

function checkGolden(path: string, label: string, actual: Golden): void {
  if (UPDATE) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
    return;
  }
  if (!existsSync(path)) throw new Error(`no golden for ${label}: run UPDATE_GOLDEN=1 npx jest libs/parser-core/test/golden, then review it`);
  expect(actual).toEqual(JSON.parse(readFileSync(path, 'utf8')));
}

describe('the corpus against its reviewed goldens', () => {
  test('Then every golden file has its corpus file, and every corpus file is in the manifest', () => {
    const corpusFiles = new Set(manifest.map((entry) => entry.file));
    const goldens = existsSync(GOLDEN_DIR) ? readdirSync(GOLDEN_DIR).filter((name) => name.endsWith('.json')) : [];

    expect(goldens.map((name) => name.slice(0, -'.json'.length)).filter((file) => !corpusFiles.has(file))).toEqual([]);
  });

  test.each(manifest.map((entry) => [entry.file]))('When %s is parsed, then the outcome equals its golden', async (file) => {
    checkGolden(goldenPath(file), file, toGolden(file, await parseCorpusFile(file)));
  });
});

describe('the project\'s own test inputs against their reviewed goldens', () => {
  test('Then every golden has its input', () => {
    const goldens = existsSync(INPUT_GOLDEN_DIR) ? readdirSync(INPUT_GOLDEN_DIR).filter((name) => name.endsWith('.json')) : [];
    expect(goldens.map((name) => name.slice(0, -'.json'.length)).filter((file) => !inputs.includes(file))).toEqual([]);
  });

  test.each(inputs.map((file) => [file]))('When %s is parsed, then the outcome equals its golden', async (file) => {
    checkGolden(join(INPUT_GOLDEN_DIR, `${file}.json`), `test/inputs/${file}`, toGolden(file, await parseInput(file)));
  });
});
