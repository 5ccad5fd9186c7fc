// The parse worker: runs the pure core on one message at a time for parse-pool.ts. It holds no
// state between messages, so the pool may terminate it at any moment (time budget exceeded)
// and start another.
import { parentPort } from 'node:worker_threads';
import { parseMail } from '@inviteflow/parser-core';
import { rejected, type ParseOutcome } from '@inviteflow/parser-core';
import type { ParseRequest, ParseResponse } from './parse-pool';

async function answer(request: ParseRequest): Promise<ParseResponse> {
  let outcome: ParseOutcome;
  try {
    outcome = await parseMail(Buffer.from(request.raw), request.ctx, request.limits);
  } catch (err) {
    // parseMail is built never to throw; if it does, that is our bug, recorded as such.
    outcome = rejected('PARSER_FAILURE', `unexpected ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
  return { id: request.id, outcome };
}

parentPort?.on('message', (request: ParseRequest) => {
  void answer(request).then((response) => parentPort?.postMessage(response));
});
