// Issue 8, finding 8: a 24 MiB message took the parser from its idle footprint to 577 MiB RSS,
// and 12 s later it still held 521 MiB. Memory is asserted, never time: the wait below only
// bounds how long we poll for the memory to come back.
import { DEFAULT_PARSE_LIMITS } from '@inviteflow/parser-core';
import { TEST_CONTEXT } from '@inviteflow/testing';
import { inviteWithAttachment } from '../../test/large-mail.fixtures';
import { bundleParseWorker } from '../../test/worker-bundle';
import { ParsePool } from './parse-pool';

const MIB = 1024 * 1024;
/** Generous on purpose (a busy CI machine, Jest's own heap): the old code stayed ~190 MiB up. */
const ALLOWED_GROWTH = 100 * MIB;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` holds (at most `attempts` × 250 ms); returns whether it did. */
async function eventually(probe: () => Promise<boolean> | boolean, attempts = 80): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await probe()) return true;
    await sleep(250);
  }
  return false;
}

describe('parse pool memory', () => {
  test('When a 24 MiB message has been parsed, then the parser returns to its idle memory: the worker is recycled and RSS comes back near the baseline', async () => {
    // Arrange: the input is built and the pool warmed first, so the baseline includes both.
    const pool = new ParsePool({ workerFile: bundleParseWorker(), workers: 2, timeBudgetMs: 120_000, maxHeapMb: 256 });
    try {
      const big = inviteWithAttachment(24 * MIB);
      await pool.parse(inviteWithAttachment(64 * 1024), TEST_CONTEXT, DEFAULT_PARSE_LIMITS);
      await sleep(1000);
      const baseline = process.memoryUsage.rss();

      // Act: as the service does, fresh bytes per message, handed to the worker.
      const outcome = await pool.parse(new Uint8Array(big), TEST_CONTEXT, DEFAULT_PARSE_LIMITS, { transfer: true });

      // Assert
      expect(outcome.kind).toBe('parsed');
      expect(pool.recycled).toBe(1);
      const heapsBack = await eventually(async () => {
        const heaps = await pool.workerHeaps();
        return heaps.length === 2 && heaps.every((h) => h.totalHeapSize < 64 * MIB);
      });
      expect(heapsBack).toBe(true);
      let settled = process.memoryUsage.rss();
      await eventually(() => (settled = process.memoryUsage.rss()) <= baseline + ALLOWED_GROWTH);
      expect({ growthMiB: Math.round((settled - baseline) / MIB) }).toEqual({ growthMiB: expect.any(Number) });
      expect(settled - baseline).toBeLessThanOrEqual(ALLOWED_GROWTH);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
