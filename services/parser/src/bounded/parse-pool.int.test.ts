import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { corpusBytes, TEST_CONTEXT } from '@inviteflow/testing';
import { bundleParseWorker } from '../../test/worker-bundle';
import { parseMail } from '@inviteflow/parser-core';
import { DEFAULT_PARSE_LIMITS } from '@inviteflow/parser-core';
import { ParsePool } from './parse-pool';

// A stand-in worker that answers like parse.worker.ts but spins forever on a message that says
// HANG: the pool's time bound must not depend on the parser ever returning.
const SPINNING_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (request) => {
  if (Buffer.from(request.raw).toString().includes('HANG')) for (;;) {}
  parentPort.postMessage({ id: request.id, outcome: { kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT', detail: 'stand-in' } });
});`;

function spinningWorkerFile(): string {
  const dir = resolve(__dirname, '../../../../dist/test-workers');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `spinning.worker.${process.pid}.js`);
  writeFileSync(file, SPINNING_WORKER);
  return file;
}

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
