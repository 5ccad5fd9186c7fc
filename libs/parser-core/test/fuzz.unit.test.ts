// Property-based fuzzing over mutated corpus files (issue 4, point 8), the default-run share:
// a few thousand cases with a fixed seed, so CI is repeatable; FUZZ_SEED picks another stream.
// The long run (100 000 cases, per-outcome counts, slowest input) is `./dev fuzz`.
import fc from 'fast-check';
import { corpusCase } from './fuzz/corpus-mutations';
import { newTally, runCase, summarise } from './fuzz/fuzz-run';

const CASES = Number(process.env.FUZZ_CASES ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20260426);
/** In-process bound per case; the hard bound in production is the worker pool's budget. */
const MAX_MS_PER_CASE = 2_000;

describe('fuzzing the parser with mutated corpus files', () => {
  test(`When ${CASES} mutated corpus files are parsed, then each ends in exactly one well-formed outcome, without an exception, within ${MAX_MS_PER_CASE} ms`, async () => {
    // Arrange
    const tally = newTally();

    // Act + Assert: fast-check shrinks a failure to a minimal mutation list and prints its seed.
    await fc.assert(fc.asyncProperty(corpusCase(), (testCase) => runCase(testCase, tally, MAX_MS_PER_CASE)), { numRuns: CASES, seed: SEED });

    if (process.env.FUZZ_SUMMARY) process.stdout.write(`\n${summarise(tally)}\n`);
    expect(tally.cases).toBeGreaterThanOrEqual(CASES);
  }, 120_000);
});
