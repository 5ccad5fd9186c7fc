// A hard wall-clock bound per message. mailparser and ical.js do much of their work in
// synchronous stretches, and no check inside the same thread can interrupt those. So the core
// runs in worker threads, and a message that outlives its budget has its worker terminated: it
// is rejected TIME_BUDGET_EXCEEDED and the service carries on (issue 4, point 6). The budget
// runs from the moment a worker takes the message, so time spent queued does not count.
// Costs (docs/parser.md): one structured-clone copy of the raw bytes each way, ~0.1 ms per
// message of messaging, and a worker start (~50 ms, ~30 MB) at boot and after each termination.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MailParseContext, ParseLimits, ParseOutcome } from '@inviteflow/parser-core';
import { rejected } from '@inviteflow/parser-core';

export interface ParseRequest {
  id: number;
  raw: Uint8Array;
  ctx: MailParseContext;
  limits: ParseLimits;
}

export interface ParseResponse {
  id: number;
  outcome: ParseOutcome;
}

export interface ParsePoolOptions {
  /** The bundled parse.worker.js (see defaultWorkerFile). */
  workerFile: string;
  workers: number;
  /** Wall-clock milliseconds one message may take inside a worker. */
  timeBudgetMs: number;
  /** Heap per worker: a message that needs more is rejected TOO_LARGE instead of felling the process. */
  maxHeapMb?: number;
}

interface Task {
  request: ParseRequest;
  resolve: (outcome: ParseOutcome) => void;
}

interface Slot {
  worker: Worker;
  /** Set on 'online': a worker's start-up must not count against a message's budget. */
  ready: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
}

export class ParsePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ParsePoolOptions) {
    for (let i = 0; i < options.workers; i++) this.slots.push(this.startSlot());
  }

  /** Same contract as parseMail: one outcome per message, never a throw for bad input. */
  parse(raw: Buffer, ctx: MailParseContext, limits: ParseLimits): Promise<ParseOutcome> {
    if (this.closed) return Promise.reject(new Error('parse pool is closed'));
    return new Promise((resolve) => {
      this.queue.push({ request: { id: this.nextId++, raw: new Uint8Array(raw), ctx, limits }, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.resolve(rejected('PARSER_FAILURE', 'parse pool closed before the message was parsed'));
    await Promise.all(this.slots.map((slot) => this.stop(slot)));
  }

  private startSlot(): Slot {
    const { maxHeapMb } = this.options;
    const worker = new Worker(this.options.workerFile, maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } } : {});
    const slot: Slot = { worker, ready: false };
    worker.on('online', () => {
      slot.ready = true;
      this.dispatch();
    });
    worker.on('message', (response: ParseResponse) => this.settle(slot, response.id, response.outcome));
    worker.on('error', (err) => this.replace(slot, failureOutcome(err)));
    worker.on('exit', () => this.replace(slot, rejected('PARSER_FAILURE', 'parse worker exited')));
    worker.unref();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.task || this.queue.length === 0) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.timer = setTimeout(() => this.expire(slot), this.options.timeBudgetMs);
      // The copy made in parse() is handed over, not cloned a second time.
      slot.worker.postMessage(task.request, [task.request.raw.buffer as ArrayBuffer]);
    }
  }

  private settle(slot: Slot, id: number, outcome: ParseOutcome): void {
    if (slot.task?.request.id !== id) return;
    clearTimeout(slot.timer);
    const { resolve } = slot.task;
    slot.task = undefined;
    resolve(outcome);
    this.dispatch();
  }

  private expire(slot: Slot): void {
    const detail = `parsing took longer than ${this.options.timeBudgetMs} ms; abandoned`;
    this.replace(slot, rejected('TIME_BUDGET_EXCEEDED', detail));
  }

  /** Ends the slot's task with `outcome` and puts a fresh worker in its place. */
  private replace(slot: Slot, outcome: ParseOutcome): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return; // already replaced: 'error' is followed by 'exit'
    clearTimeout(slot.timer);
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined);
    void slot.worker.terminate();
    if (slot.task) slot.task.resolve(outcome);
    if (this.closed) {
      this.slots.splice(index, 1);
      return;
    }
    this.slots[index] = this.startSlot();
    this.dispatch();
  }

  private async stop(slot: Slot): Promise<void> {
    slot.worker.removeAllListeners();
    clearTimeout(slot.timer);
    slot.task?.resolve(rejected('PARSER_FAILURE', 'parse pool closed while the message was being parsed'));
    slot.task = undefined;
    await slot.worker.terminate();
  }
}

/** Where the build puts the worker: next to the service's bundled main.js (scripts/bundle.mjs). */
export function defaultWorkerFile(): string {
  return join(__dirname, 'parse.worker.js');
}

function failureOutcome(err: unknown): ParseOutcome {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return rejected('TOO_LARGE', 'parsing needed more memory than a parse worker may use');
  return rejected('PARSER_FAILURE', `parse worker failed: ${err instanceof Error ? err.message : String(err)}`);
}
