import { corpusBytes, TEST_CONTEXT } from '@inviteflow/testing';
import { bundleParseWorker, spinningWorkerFile } from '../../test/worker-bundle';
import { parseMail } from '@inviteflow/parser-core';
import { DEFAULT_PARSE_LIMITS } from '@inviteflow/parser-core';
import { ParsePool } from './parse-pool';

describe('parsing in worker threads under a time budget', () => {
  test('When a corpus mail is parsed in the pool, then the outcome equals the in-process one, Dates included', async () => {
    // Arrange
    const pool = new ParsePool({ workerFile: bundleParseWorker(), workers: 1, timeBudgetMs: 10_000 });
    const raw = corpusBytes('outlook__teams-meeting-request-fle-tz.eml');

    try {
      // Act
      const [bounded, direct] = await Promise.all([pool.parse(raw, TEST_CONTEXT, DEFAULT_PARSE_LIMITS), parseMail(raw, TEST_CONTEXT)]);

      // Assert
      expect(bounded).toEqual(direct);
      // A Date from the worker (structured clone); Jest's sandbox has its own Date, so no instanceof.
      const start: unknown = bounded.kind === 'parsed' && bounded.invites[0]!.events[0]!.start;
      expect(Object.prototype.toString.call(start)).toBe('[object Date]');
    } finally {
      await pool.close();
    }
  });

  test('When a message outlives its budget, then it is rejected TIME_BUDGET_EXCEEDED and the next message is still parsed', async () => {
    // Arrange
    const pool = new ParsePool({ workerFile: spinningWorkerFile(), workers: 1, timeBudgetMs: 300 });

    try {
      // Act
      const [stuck, next] = await Promise.all([
        pool.parse(Buffer.from('HANG'), TEST_CONTEXT, DEFAULT_PARSE_LIMITS),
        pool.parse(Buffer.from('fine'), TEST_CONTEXT, DEFAULT_PARSE_LIMITS),
      ]);

      // Assert: the queued message waited, but its own budget only started when a worker took it.
      expect(stuck).toMatchObject({ kind: 'rejected', reasonCode: 'TIME_BUDGET_EXCEEDED' });
      expect(next).toMatchObject({ kind: 'ignored', detail: 'stand-in' });
    } finally {
      await pool.close();
    }
  });

  test('When the pool is closed, then a new message is refused', async () => {
    const pool = new ParsePool({ workerFile: spinningWorkerFile(), workers: 1, timeBudgetMs: 300 });
    await pool.close();

    await expect(pool.parse(Buffer.from('x'), TEST_CONTEXT, DEFAULT_PARSE_LIMITS)).rejects.toThrow('closed');
  });
});

describe('a lazy pool (idleStopMs): workers only while mails need them', () => {
  /** Resolves once `done()` holds; the test's own timeout is the only bound (no wall-clock assertion). */
  async function until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  test('When no mail has come, then no worker runs; a mail starts one, and it ends once idle', async () => {
    // Arrange
    const pool = new ParsePool({ workerFile: spinningWorkerFile(), workers: 2, timeBudgetMs: 10_000, idleStopMs: 50 });

    try {
      const before = pool.workerCount;

      // Act
      const outcome = await pool.parse(Buffer.from('fine'), TEST_CONTEXT, DEFAULT_PARSE_LIMITS);
      const during = pool.workerCount;
      await until(() => pool.workerCount === 0);

      // Assert: one mail at a time needs one worker, not the two allowed.
      expect(before).toBe(0);
      expect(outcome).toMatchObject({ kind: 'ignored', detail: 'stand-in' });
      expect(during).toBe(1);
      expect(pool.workerCount).toBe(0);
    } finally {
      await pool.close();
    }
  });

  test('When a mail outlives its budget in a lazy pool, then it is rejected TIME_BUDGET_EXCEEDED and a fresh worker parses the next', async () => {
    const pool = new ParsePool({ workerFile: spinningWorkerFile(), workers: 1, timeBudgetMs: 300, idleStopMs: 60_000 });

    try {
      const [stuck, next] = await Promise.all([
        pool.parse(Buffer.from('HANG'), TEST_CONTEXT, DEFAULT_PARSE_LIMITS),
        pool.parse(Buffer.from('fine'), TEST_CONTEXT, DEFAULT_PARSE_LIMITS),
      ]);

      expect(stuck).toMatchObject({ kind: 'rejected', reasonCode: 'TIME_BUDGET_EXCEEDED' });
      expect(next).toMatchObject({ kind: 'ignored', detail: 'stand-in' });
      expect(pool.workerCount).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
