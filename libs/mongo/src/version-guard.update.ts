import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import { withMongoErrors } from './mongo.errors';

/** A document guarded by optimistic concurrency: `version` grows by one on every write. */
export type VersionedDocument = Document & { version: number };

export type VersionedUpdateOutcome = 'updated' | 'conflict';

/**
 * Applies `update` only if the stored document still has `expectedVersion`, and increments
 * `version` in the same atomic single-document write (architecture.md, Storage: design for
 * single-document atomicity; Messaging: correct under any delivery order).
 *
 * One round trip (`update`). 'conflict' means no document matched `{ _id, version }`: either
 * another writer got there first, or the document does not exist; the caller re-reads (one
 * more round trip) and decides. Telling the two apart here would cost a round trip on every
 * conflict, and every caller re-reads anyway.
 *
 * The filter has two fields. Real MongoDB answers it from the `_id` index. So does the
 * stand-in since its launcher narrows any filter with an `_id` equality to the `_id` index
 * (tools/mongo-stand-in, issue 14); mongo-java-server alone scanned the collection
 * (docs/mongo-stand-in.md has the numbers). No stand-in-only index or filter shape here.
 */
export async function updateIfVersion<TSchema extends VersionedDocument>(
  collection: Collection<TSchema>,
  id: TSchema['_id'],
  expectedVersion: number,
  update: UpdateFilter<TSchema>,
): Promise<VersionedUpdateOutcome> {
  assertVersionUntouched(update);
  const filter = { _id: id, version: expectedVersion } as Filter<TSchema>;
  // Built as a plain Document: the driver's generic UpdateFilter cannot express "this schema
  // has a numeric version" for an arbitrary TSchema.
  const plain: Document = update;
  const guarded: Document = { ...plain, $inc: { ...(plain['$inc'] ?? {}), version: 1 } };
  const result = await withMongoErrors(() => collection.updateOne(filter, guarded as UpdateFilter<TSchema>));
  return result.matchedCount === 1 ? 'updated' : 'conflict';
}

// `version` belongs to the guard: a caller touching it too would make the server reject the
// update (conflicting paths) or, with $unset/$rename, break the guard for every later writer.
function assertVersionUntouched(update: Document): void {
  if (Array.isArray(update)) {
    // Pipeline updates are not in the shared subset: the stand-in fails on them.
    throw new TypeError('updateIfVersion: pipeline updates are not supported');
  }
  for (const [operator, fields] of Object.entries(update)) {
    if (!operator.startsWith('$')) {
      throw new TypeError('updateIfVersion: a replacement document is not an update; use update operators');
    }
    if (fields !== null && typeof fields === 'object' && 'version' in fields) {
      throw new TypeError(`updateIfVersion: ${operator}.version is managed by the guard`);
    }
  }
}
