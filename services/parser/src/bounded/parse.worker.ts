// The parse worker: runs the pure core on one message at a time for parse-pool.ts. It holds no
// state between messages, so the pool may terminate it at any moment (time budget exceeded)
// and start another.
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { parseMail } from '@inviteflow/parser-core';
import { rejected, type ParseOutcome } from '@inviteflow/parser-core';
import type { ParseRequest, ParseResponse } from './parse-pool';

async function answer(request: ParseRequest): Promise<ParseResponse> {
  let outcome: ParseOutcome;
  try {
    // A view on the transferred bytes, not a copy: for a 25 MiB message that is 25 MiB less.
    const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
    outcome = await parseMail(raw, request.ctx, request.limits);
  } catch (err) {
    // parseMail is built never to throw; if it does, that is our bug, recorded as such.
    outcome = rejected('PARSER_FAILURE', `unexpected ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
  return { id: request.id, outcome, footprintBytes: footprint() };
}

/**
 * This isolate's committed V8 heap plus its off-heap buffers (in a worker, memoryUsage()'s
 * heapTotal and external are the worker's own). Garbage from the message still counts: the
 * point is what the thread holds now, which is what the pool can give back by replacing it.
 */
function footprint(): number {
  // The same two figures from V8 alone (total_heap_size = heapTotal, external_memory =
  // external): process.memoryUsage() also reads the process's RSS from /proc on every call,
  // which a profile under load (issue 14, ./dev load) showed as ~5 % of the parser's time.
  const heap = getHeapStatistics();
  return heap.total_heap_size + heap.external_memory;
}

parentPort?.on('message', (request: ParseRequest) => {
  void answer(request).then((response) => parentPort?.postMessage(response));
});
