// A hard wall-clock bound per message. mailparser and ical.js do much of their work in
// synchronous stretches, and no check inside the same thread can interrupt those. So the core
// runs in worker threads, and a message that outlives its budget has its worker terminated: it
// is rejected TIME_BUDGET_EXCEEDED and the service carries on (issue 4, point 6). The budget
// runs from the moment a worker takes the message, so time spent queued does not count.
// Costs (docs/parser.md): one structured-clone copy of the raw bytes each way, ~0.1 ms per
// message of messaging, and a worker start (~50 ms, ~30 MB) at boot and after each termination.
//
// Memory (issue 8, finding 8): a big message grows a worker's V8 heap and its off-heap buffers
// by hundreds of MiB, and neither shrinks back by itself: V8 keeps the committed old space, and
// the allocator keeps freed buffer memory mapped. The one reliable way to give it back is to end
// the thread. So every answer carries the worker's own footprint (heapTotal + external, per
// isolate), and a worker whose footprint after a message exceeds `recycleAboveMb` is
// terminated and replaced while idle, like a worker that outlived its budget.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MailParseContext, ParseLimits, ParseOutcome } from '@inviteflow/parser-core';
import { rejected } from '@inviteflow/parser-core';
import { AppError } from '@inviteflow/runtime';

export interface ParseRequest {
  id: number;
  raw: Uint8Array;
  ctx: MailParseContext;
  limits: ParseLimits;
}

export interface ParseResponse {
  id: number;
  outcome: ParseOutcome;
  /** The worker isolate's committed heap + off-heap (Buffer) bytes, measured after the message. */
  footprintBytes: number;
}

export interface ParsePoolOptions {
  /** The bundled parse.worker.js (see defaultWorkerFile). */
  workerFile: string;
  workers: number;
  /** Wall-clock milliseconds one message may take inside a worker. */
  timeBudgetMs: number;
  /** Heap per worker: a message that needs more is rejected TOO_LARGE instead of felling the process. */
  maxHeapMb?: number;
  /** Young generation per worker (V8 `maxYoungGenerationSizeMb`); default DEFAULT_YOUNG_GENERATION_MB. */
  maxYoungMb?: number;
  /**
   * A worker whose footprint (heap + buffers) after a message exceeds this is replaced by a
   * fresh one, which gives the memory back to the system. Default 96 MB.
   */
  recycleAboveMb?: number;
  /**
   * Start workers only when a message needs one (up to `workers`), and end a worker that has
   * been idle this long, giving its isolate (~30-40 MB) back. Unset: all `workers` start at once
   * and stay. The parser service parses most mails on its main thread (bounded/mail-parser.ts)
   * and needs a worker only now and then, so it sets this.
   */
  idleStopMs?: number;
}

const DEFAULT_RECYCLE_ABOVE_MB = 96;

/**
 * A worker's young generation, in MB. V8 splits it into two semi-spaces and a share for large
 * new objects, so 24 MB means 8 MB semi-spaces, as the main thread gets from the services'
 * --max-semi-space-size=8 (SERVICE_NODE_FLAGS). Without a limit V8 sizes it from the machine's
 * memory: a worker that had parsed the test corpus 40 times held an 82 MB heap (37 MB with
 * this limit), close to the recycle threshold, and the process 35 MB more resident, at no
 * lower CPU per message (issue 14, measured on the 2-core dev box).
 */
export const DEFAULT_YOUNG_GENERATION_MB = 24;

/** PARSER_WORKERS: a number as given; `auto` one per CPU beyond the main thread's, 1 to 2 (config.ts says why). */
export function resolveWorkerCount(setting: number | 'auto', cpus: number = availableParallelism()): number {
  if (setting !== 'auto') return setting;
  return Math.min(2, Math.max(1, cpus - 1));
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
  /** Lazy pools: ends the worker after `idleStopMs` without a message. */
  idleTimer?: NodeJS.Timeout;
}

export class ParsePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  private recycledCount = 0;

  constructor(private readonly options: ParsePoolOptions) {
    if (this.lazy) return;
    for (let i = 0; i < options.workers; i++) this.slots.push(this.startSlot());
  }

  private get lazy(): boolean {
    return this.options.idleStopMs !== undefined;
  }

  /** Workers started (or starting) now: for metrics and tests. */
  get workerCount(): number {
    return this.slots.length;
  }

  /**
   * Same contract as parseMail: one outcome per message, never a throw for bad input. With
   * `transfer`, bytes that span their whole ArrayBuffer are handed to the worker without a copy
   * and `raw` is left detached (empty): only for a caller that no longer needs them.
   */
  parse(raw: Uint8Array, ctx: MailParseContext, limits: ParseLimits, options: { transfer?: boolean } = {}): Promise<ParseOutcome> {
    if (this.closed) return Promise.reject(new AppError({ code: 'PARSE_POOL_CLOSED', message: 'parse pool is closed', retryable: true }));
    const owned = options.transfer === true && raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength && raw.buffer instanceof ArrayBuffer;
    const bytes = owned ? new Uint8Array(raw.buffer, 0, raw.byteLength) : new Uint8Array(raw);
    return new Promise((resolve) => {
      this.queue.push({ request: { id: this.nextId++, raw: bytes, ctx, limits }, resolve });
      this.dispatch();
    });
  }

  /** Workers replaced because their footprint after a message was too large (for metrics and tests). */
  get recycled(): number {
    return this.recycledCount;
  }

  /** The V8 heap (bytes) of each worker that is up (a replacement still starting is left out). */
  async workerHeaps(): Promise<Array<{ usedHeapSize: number; totalHeapSize: number }>> {
    const stats = await Promise.all(this.slots.filter((slot) => slot.ready).map((slot) => slot.worker.getHeapStatistics()));
    return stats.map((h) => ({ usedHeapSize: h.used_heap_size, totalHeapSize: h.total_heap_size }));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.resolve(rejected('PARSER_FAILURE', 'parse pool closed before the message was parsed'));
    await Promise.all(this.slots.map((slot) => this.stop(slot)));
  }

  private startSlot(): Slot {
    const { maxHeapMb, maxYoungMb = DEFAULT_YOUNG_GENERATION_MB } = this.options;
    const worker = new Worker(this.options.workerFile, {
      resourceLimits: { maxYoungGenerationSizeMb: maxYoungMb, ...(maxHeapMb ? { maxOldGenerationSizeMb: maxHeapMb } : {}) },
    });
    const slot: Slot = { worker, ready: false };
    worker.on('online', () => {
      slot.ready = true;
      this.dispatch();
    });
    worker.on('message', (response: ParseResponse) => this.settle(slot, response));
    worker.on('error', (err) => this.replace(slot, failureOutcome(err)));
    worker.on('exit', () => this.replace(slot, rejected('PARSER_FAILURE', 'parse worker exited')));
    worker.unref();
    return slot;
  }

  private dispatch(): void {
    if (this.lazy) this.startWorkersForQueue();
    for (const slot of this.slots) {
      if (!slot.ready || slot.task || this.queue.length === 0) continue;
      const task = this.queue.shift()!;
      clearTimeout(slot.idleTimer);
      slot.idleTimer = undefined;
      slot.task = task;
      slot.timer = setTimeout(() => this.expire(slot), this.options.timeBudgetMs);
      // The bytes (a copy made in parse(), or the caller's own) are handed over, not cloned.
      slot.worker.postMessage(task.request, [task.request.raw.buffer as ArrayBuffer]);
    }
    if (this.lazy) this.armIdleTimers();
  }

  /** Lazy pools: one more worker per queued message no idle (or starting) worker will take. */
  private startWorkersForQueue(): void {
    if (this.closed) return;
    let free = this.slots.filter((slot) => !slot.task).length;
    while (this.slots.length < this.options.workers && this.queue.length > free) {
      this.slots.push(this.startSlot());
      free += 1;
    }
  }

  private armIdleTimers(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.task || slot.idleTimer) continue;
      slot.idleTimer = setTimeout(() => this.retire(slot), this.options.idleStopMs);
      slot.idleTimer.unref();
    }
  }

  /** Ends an idle worker of a lazy pool; the next message that needs one starts another. */
  private retire(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || slot.task) return;
    this.slots.splice(index, 1);
    discard(slot);
  }

  private settle(slot: Slot, response: ParseResponse): void {
    if (slot.task?.request.id !== response.id) return;
    clearTimeout(slot.timer);
    const { resolve } = slot.task;
    slot.task = undefined;
    resolve(response.outcome);
    if (response.footprintBytes > (this.options.recycleAboveMb ?? DEFAULT_RECYCLE_ABOVE_MB) * MB) {
      this.recycledCount += 1;
      this.replace(slot);
      return;
    }
    this.dispatch();
  }

  private expire(slot: Slot): void {
    const detail = `parsing took longer than ${this.options.timeBudgetMs} ms; abandoned`;
    this.replace(slot, rejected('TIME_BUDGET_EXCEEDED', detail));
  }

  /** Ends the slot's task (if any) with `outcome` and puts a fresh worker in its place. */
  private replace(slot: Slot, outcome?: ParseOutcome): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return; // already replaced: 'error' is followed by 'exit'
    clearTimeout(slot.timer);
    clearTimeout(slot.idleTimer);
    discard(slot);
    if (slot.task && outcome) slot.task.resolve(outcome);
    if (this.closed || this.lazy) {
      // A lazy pool starts a replacement only when a message waits for it (dispatch).
      this.slots.splice(index, 1);
      if (!this.closed) this.dispatch();
      return;
    }
    this.slots[index] = this.startSlot();
    this.dispatch();
  }

  private async stop(slot: Slot): Promise<void> {
    slot.worker.removeAllListeners();
    clearTimeout(slot.timer);
    clearTimeout(slot.idleTimer);
    slot.task?.resolve(rejected('PARSER_FAILURE', 'parse pool closed while the message was being parsed'));
    slot.task = undefined;
    await slot.worker.terminate();
  }
}

const MB = 1024 * 1024;

/** Where the build puts the worker: next to the service's bundled main.js (scripts/bundle.mjs). */
export function defaultWorkerFile(): string {
  return join(__dirname, 'parse.worker.js');
}

function failureOutcome(err: unknown): ParseOutcome {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return rejected('TOO_LARGE', 'parsing needed more memory than a parse worker may use');
  return rejected('PARSER_FAILURE', `parse worker failed: ${err instanceof Error ? err.message : String(err)}`);
}

/** Ends a slot's worker without waiting; whatever it still reports (an error on its way out) is ignored. */
function discard(slot: Slot): void {
  slot.worker.removeAllListeners();
  slot.worker.on('error', () => undefined);
  void slot.worker.terminate();
}
