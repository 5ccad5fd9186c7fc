import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';
import { AppError } from '@inviteflow/runtime';
import { mapMongoError, MONGO_ERROR_CODES } from './mongo.errors';

/** At most this many statements go in one bulk write (MongoDB's own limit is 100 000). */
export const DEFAULT_MAX_BATCH_OPS = 500;

interface Submission<T extends Document> {
  ops: AnyBulkWriteOperation<T>[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for independent writes to one collection: a write submitted while no bulk write
 * is on the wire goes at once (no added latency when the service is quiet); writes submitted
 * while one is on the wire wait for it and then go together, as one `bulkWrite` — one round
 * trip for all of them (issue 14: the database's cost grows with the round trips, not the
 * statements). Each caller's promise settles with its own statements: a statement the server
 * refused rejects only its submission (unordered bulk, so the others still apply), a failure of
 * the whole command rejects every submission of that batch. Only for statements whose effect
 * does not depend on their order relative to each other's (different documents, or updates that
 * commute): an unordered bulk may apply them in any order.
 */
export class WriteBatcher<T extends Document> {
  private readonly queue: Submission<T>[] = [];
  private flushing = false;

  constructor(private readonly collection: Collection<T>, private readonly maxOps = DEFAULT_MAX_BATCH_OPS) {}

  /** Resolves once `ops` are applied; rejects with the mapped error (libs/mongo mongo.errors) of the first refused one. */
  write(ops: AnyBulkWriteOperation<T>[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ops, resolve, reject });
      this.kick();
    });
  }

  /** Submissions waiting for the bulk write on the wire (for tests and metrics). */
  waiting(): number {
    return this.queue.length;
  }

  private kick(): void {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    void this.flush().finally(() => {
      this.flushing = false;
      this.kick();
    });
  }

  private async flush(): Promise<void> {
    const batch: Submission<T>[] = [];
    let count = 0;
    // At least one submission per batch, however many statements it has.
    while (this.queue.length > 0 && (batch.length === 0 || count + this.queue[0]!.ops.length <= this.maxOps)) {
      const next = this.queue.shift()!;
      batch.push(next);
      count += next.ops.length;
    }
    const ops = batch.flatMap((s) => s.ops);
    try {
      await this.collection.bulkWrite(ops, { ordered: false });
      batch.forEach((s) => s.resolve());
    } catch (err) {
      settleFailed(batch, err, this.collection.collectionName);
    }
  }
}

/** Rejects the submissions whose statements the server refused, resolves the others; all of them when the command itself failed. */
function settleFailed<T extends Document>(batch: Submission<T>[], err: unknown, collection: string): void {
  const context = `${collection}.bulkWrite`;
  const refused = err instanceof MongoBulkWriteError && err.writeErrors !== undefined && err.result.getWriteConcernError() === undefined
    ? (Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors])
    : undefined;
  if (!refused || refused.length === 0) {
    const mapped = mapMongoError(err, context);
    batch.forEach((s) => s.reject(mapped));
    return;
  }
  const byIndex = new Map(refused.map((w) => [w.index, w]));
  let first = 0;
  for (const s of batch) {
    const own = s.ops.map((_, i) => byIndex.get(first + i)).find((w) => w !== undefined);
    first += s.ops.length;
    if (!own) {
      s.resolve();
      continue;
    }
    const duplicate = own.code === 11000 || own.code === 11001;
    s.reject(new AppError({
      code: duplicate ? MONGO_ERROR_CODES.duplicateKey : MONGO_ERROR_CODES.failure,
      message: `${context}: ${duplicate ? 'duplicate key' : 'MongoDB operation failed'}: ${own.errmsg ?? 'write refused'}`,
      retryable: false, cause: err, details: { operation: context },
    }));
  }
}
