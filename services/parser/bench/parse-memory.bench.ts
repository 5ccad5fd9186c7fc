// Issue 8, finding 8: how much memory one big message costs the parser, and whether it comes
// back. Feeds a 24 MiB invitation (base64 attachment) and a 100 000-RDATE invitation through
// a ParsePool with the service's defaults (2 workers, 256 MB heap each), sampling the process's
// RSS every 10 ms while each is parsed and again after PARSE_MEMORY_IDLE_MS (default 5 s) idle.
// Run: ./dev bench parse-memory   (figures in docs/parser.md, "Memory per message").
import { DEFAULT_PARSE_LIMITS } from '@inviteflow/parser-core';
import { TEST_CONTEXT } from '@inviteflow/testing';
import { ParsePool } from '../src/bounded/parse-pool';
import { inviteWithAttachment, inviteWithRdates } from '../test/large-mail.fixtures';
import { bundleParseWorker } from '../test/worker-bundle';

const MIB = 1024 * 1024;
const IDLE_MS = Number(process.env['PARSE_MEMORY_IDLE_MS'] ?? 5000);
const mib = (bytes: number) => Math.round(bytes / MIB);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(pool: ParsePool, label: string, fixture: Buffer): Promise<string> {
  // As the service does: fresh bytes per message (RawMailStore.get), transferred to the worker.
  const raw = new Uint8Array(fixture);
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const outcome = await pool.parse(raw, TEST_CONTEXT, DEFAULT_PARSE_LIMITS, { transfer: true });
  const after = process.memoryUsage.rss();
  await sleep(IDLE_MS);
  clearInterval(sampler);
  const idle = process.memoryUsage.rss();
  const heaps = (await pool.workerHeaps()).map((h) => `${mib(h.usedHeapSize)}/${mib(h.totalHeapSize)}`).join(' ');
  const result = outcome.kind === 'parsed' ? 'parsed' : `${outcome.kind} ${outcome.reasonCode}`;
  return `${label.padEnd(22)} ${result.padEnd(20)} recycled ${pool.recycled}, peak ${mib(peak)} MiB, after ${mib(after)} MiB, after ${IDLE_MS / 1000} s idle ${mib(idle)} MiB; worker heaps used/total ${heaps} MiB`;
}

test('parser memory per message (prints a table)', async () => {
  const pool = new ParsePool({ workerFile: bundleParseWorker(), workers: 2, timeBudgetMs: 60_000, maxHeapMb: 256 });
  try {
    await pool.parse(inviteWithAttachment(64 * 1024), TEST_CONTEXT, DEFAULT_PARSE_LIMITS); // warm up
    // The inputs are built first, so the baseline includes them and the deltas are the parser's.
    const big = inviteWithAttachment(24 * MIB);
    const rdates = inviteWithRdates(100_000);
    await sleep(IDLE_MS);
    const lines = [`idle baseline          RSS ${mib(process.memoryUsage.rss())} MiB (inputs ${mib(big.byteLength)} + ${mib(rdates.byteLength)} MiB held)`];
    lines.push(await measure(pool, '24 MiB invitation', big));
    lines.push(await measure(pool, '100 000 RDATEs', rdates));
    lines.push(await measure(pool, '24 MiB invitation (2)', big));
    console.log(lines.join('\n'));
    expect(lines).toHaveLength(4);
  } finally {
    await pool.close();
  }
});
