// Where the parser service parses a mail (bounded/mail-parser.ts): small first deliveries on the
// main thread, large mails and redeliveries in a worker under the time budget.
import { DEFAULT_PARSE_LIMITS, parseMail, type ParseOutcome } from '@inviteflow/parser-core';
import { corpusBytes, TEST_CONTEXT } from '@inviteflow/testing';
import { spinningWorkerFile } from '../../test/worker-bundle';
import { mailParser, workerReason, type WorkerReason } from './mail-parser';
import { ParsePool } from './parse-pool';

const INLINE: ParseOutcome = { kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT', detail: 'inline' };
const POOLED: ParseOutcome = { kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT', detail: 'worker' };

function harness(inlineMaxBytes: number, clock: number[] = []) {
  const pooled: Buffer[] = [];
  const workers: WorkerReason[] = [];
  const slow: Array<{ elapsedMs: number; bytes: number }> = [];
  const parse = mailParser({
    inlineMaxBytes, timeBudgetMs: 1000,
    pool: { parse: async (raw) => (pooled.push(Buffer.from(raw)), POOLED) },
    parseInline: async () => INLINE,
    onWorker: (reason) => workers.push(reason),
    onSlowInline: (elapsedMs, bytes) => slow.push({ elapsedMs, bytes }),
    now: clock.length > 0 ? () => clock.shift()! : undefined,
  });
  return { parse, pooled, workers, slow };
}

describe('which mails go to a worker', () => {
  test.each([
    [1000, 1, 1000, undefined],
    [1001, 1, 1000, 'size'],
    [10, 2, 1000, 'redelivery'],
    [10, 1, 0, 'size'],
    [0, 1, 0, 'size'],
  ] as const)('When a mail of %i bytes is on delivery %i with PARSER_INLINE_MAX_BYTES %i, then the reason is %s', (bytes, delivery, max, reason) => {
    expect(workerReason(bytes, delivery, max)).toBe(reason);
  });
});

describe('the parser service\'s parseMail', () => {
  test('When a small mail arrives the first time, then it is parsed on the main thread and no worker is asked', async () => {
    const h = harness(1024);

    const outcome = await h.parse(Buffer.alloc(100, 'a'), TEST_CONTEXT, DEFAULT_PARSE_LIMITS, 1);

    expect(outcome).toBe(INLINE);
    expect(h.pooled).toEqual([]);
    expect(h.workers).toEqual([]);
  });

  test('When a mail is larger than the inline limit, then a worker parses it and the caller\'s bytes stay readable', async () => {
    const h = harness(1024);
    const raw = Buffer.alloc(2048, 'b');

    const outcome = await h.parse(raw, TEST_CONTEXT, DEFAULT_PARSE_LIMITS, 1);

    expect(outcome).toBe(POOLED);
    expect(h.workers).toEqual(['size']);
    expect(raw.byteLength).toBe(2048);
    expect(h.pooled[0]!.equals(raw)).toBe(true);
  });

  test('When a small mail is redelivered, then a worker parses it (the first try may have hung the main thread)', async () => {
    const h = harness(1024);

    const outcome = await h.parse(Buffer.alloc(100, 'a'), TEST_CONTEXT, DEFAULT_PARSE_LIMITS, 2);

    expect(outcome).toBe(POOLED);
    expect(h.workers).toEqual(['redelivery']);
  });

  test('When an inline parse outlives the time budget, then its outcome is kept and the slow parse is reported', async () => {
    const h = harness(1024, [5_000, 6_500]);

    const outcome = await h.parse(Buffer.alloc(100, 'a'), TEST_CONTEXT, DEFAULT_PARSE_LIMITS, 1);

    expect(outcome).toBe(INLINE);
    expect(h.slow).toEqual([{ elapsedMs: 1500, bytes: 100 }]);
  });

  test('When an inline parse stays within the budget, then nothing is reported', async () => {
    const h = harness(1024, [5_000, 5_999]);

    await h.parse(Buffer.alloc(100, 'a'), TEST_CONTEXT, DEFAULT_PARSE_LIMITS, 1);

    expect(h.slow).toEqual([]);
  });

  test('When a corpus mail is parsed inline by default, then the outcome is parser-core\'s', async () => {
    const raw = corpusBytes('outlook__teams-meeting-request-fle-tz.eml');
    const pool = { parse: async (): Promise<ParseOutcome> => { throw new Error('no worker for a small first delivery'); } };

    const outcome = await mailParser({ inlineMaxBytes: 256 * 1024, timeBudgetMs: 10_000, pool })(raw, TEST_CONTEXT, DEFAULT_PARSE_LIMITS, 1);

    expect(outcome).toEqual(await parseMail(raw, TEST_CONTEXT));
    expect(outcome.kind).toBe('parsed');
  });

  test('When a mail that never finishes parsing is redelivered, then the worker\'s budget ends it TIME_BUDGET_EXCEEDED', async () => {
    // Arrange: the stand-in worker spins forever on HANG, as a pathological mail would.
    const pool = new ParsePool({ workerFile: spinningWorkerFile(), workers: 1, timeBudgetMs: 300, idleStopMs: 60_000 });
    const parse = mailParser({ inlineMaxBytes: 256 * 1024, timeBudgetMs: 300, pool });

    try {
      // Act
      const outcome = await parse(Buffer.from('HANG'), TEST_CONTEXT, DEFAULT_PARSE_LIMITS, 2);

      // Assert
      expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'TIME_BUDGET_EXCEEDED' });
    } finally {
      await pool.close();
    }
  });
});
