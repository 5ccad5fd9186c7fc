// The long fuzz run: `./dev fuzz` (FUZZ_CASES, default 100 000; FUZZ_SEED, default random).
// Reports the count per outcome and the slowest input, which is saved to reports/ for replay:
//   reports/parser-fuzz-summary.json, reports/parser-fuzz-slowest.<eml|ics> (+ .json with its mutations).
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { corpusCase } from './fuzz/corpus-mutations';
import { newTally, runCase, summarise, type FuzzTally } from './fuzz/fuzz-run';

const CASES = Number(process.env.FUZZ_CASES ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
const MAX_MS_PER_CASE = 5_000;
const REPORTS = resolve(__dirname, '../../../reports');

function saveReport(tally: FuzzTally, elapsedMs: number): void {
  mkdirSync(REPORTS, { recursive: true });
  const { slowest } = tally;
  const summary = {
    seed: SEED,
    cases: tally.cases,
    elapsedMs: Math.round(elapsedMs),
    byOutcome: Object.fromEntries([...tally.byOutcome.entries()].sort(([, a], [, b]) => b - a)),
    slowest: { ms: Number(slowest.ms.toFixed(1)), file: slowest.testCase?.file, mutations: slowest.testCase?.mutations, outcome: slowest.outcome },
  };
  writeFileSync(join(REPORTS, 'parser-fuzz-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (slowest.testCase) {
    const base = join(REPORTS, `parser-fuzz-slowest${extname(slowest.testCase.file)}`);
    writeFileSync(base, slowest.testCase.raw);
    writeFileSync(`${base}.json`, `${JSON.stringify(summary.slowest, null, 2)}\n`);
  }
}

describe('the long fuzz run', () => {
  test(`When ${CASES} mutated corpus files are parsed, then every one ends in exactly one outcome`, async () => {
    const tally = newTally();
    const started = performance.now();
    try {
      await fc.assert(fc.asyncProperty(corpusCase(), (testCase) => runCase(testCase, tally, MAX_MS_PER_CASE)), { numRuns: CASES, seed: SEED, endOnFailure: true });
    } finally {
      saveReport(tally, performance.now() - started);
      process.stdout.write(`\nparser fuzz (seed ${SEED}):\n${summarise(tally)}\n`);
    }
    expect(tally.cases).toBe(CASES);
  });
});
