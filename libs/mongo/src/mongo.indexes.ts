import type { Db, Document } from 'mongodb';
import type { LoggerLike } from './logger.port';
import { AppError, isAppError } from '@inviteflow/runtime';
import { mapMongoError, MONGO_ERROR_CODES } from './mongo.errors';

/**
 * One index, declared in code next to the repository that needs it (architecture.md,
 * Storage). Only ascending/descending keys: text, hashed and geo keys are accepted by the
 * stand-in but never used by it, so they are outside the shared subset
 * (docs/mongo-stand-in.md).
 */
export type IndexSpec = {
  collection: string;
  /** Field order matters for compound indexes; JS keeps string-key insertion order. */
  key: Readonly<Record<string, 1 | -1>>;
  /** Always explicit, so a changed definition is a new name, never a silent mismatch. */
  name: string;
  unique?: boolean;
  /** Shared subset for "unique where the field exists": both servers honour it. */
  sparse?: boolean;
  /**
   * Honoured by real MongoDB only: the stand-in stores it but enforces a unique index on
   * every document (missing fields collide as null). Prefer `sparse` for "unique if present".
   */
  partialFilterExpression?: Document;
};

export type EnsureIndexesResult = {
  collection: string;
  /** False when every index already existed (the second and later starts). */
  changed: boolean;
}[];

/**
 * Creates the declared indexes, one `createIndexes` round trip per collection. Idempotent:
 * the server skips an index that already exists with the same name, key and options, so this
 * runs at every start. A changed definition under an old name fails on real MongoDB
 * (IndexOptionsConflict 85 / IndexKeySpecsConflict 86): give it a new name and drop the old.
 */
export async function ensureIndexes(
  db: Db,
  specs: readonly IndexSpec[],
  options: { log?: LoggerLike } = {},
): Promise<EnsureIndexesResult> {
  validateIndexSpecs(specs);
  const result: EnsureIndexesResult = [];
  for (const [collection, collectionSpecs] of groupByCollection(specs)) {
    const reply = await createIndexes(db, collection, collectionSpecs);
    const changed = reply['numIndexesBefore'] !== reply['numIndexesAfter'];
    result.push({ collection, changed });
    options.log?.info(
      { collection, indexes: collectionSpecs.map((spec) => spec.name), changed },
      changed ? 'mongo indexes created' : 'mongo indexes already present',
    );
  }
  return result;
}

/**
 * Pure checks on the declarations, before any I/O: a name or key used twice in one
 * collection is a mistake in code. The stand-in would accept both (it keeps two indexes with
 * one name), real MongoDB would refuse at start; this makes both fail the same way.
 */
export function validateIndexSpecs(specs: readonly IndexSpec[]): void {
  const problems: string[] = [];
  const seenNames = new Set<string>();
  const seenKeys = new Map<string, string>();
  for (const spec of specs) {
    const keyText = JSON.stringify(spec.key);
    if (Object.keys(spec.key).length === 0) problems.push(`${spec.collection}.${spec.name}: empty key`);
    if (spec.name.length === 0) problems.push(`${spec.collection}: index with an empty name`);
    if (spec.name === '_id_') problems.push(`${spec.collection}: _id_ is created by the server`);
    const nameId = `${spec.collection}\u0000${spec.name}`;
    if (seenNames.has(nameId)) problems.push(`${spec.collection}.${spec.name}: name declared twice`);
    seenNames.add(nameId);
    const keyId = `${spec.collection}\u0000${keyText}`;
    const other = seenKeys.get(keyId);
    if (other !== undefined) problems.push(`${spec.collection}.${spec.name}: same key as ${other}`);
    seenKeys.set(keyId, spec.name);
  }
  if (problems.length > 0) {
    throw new AppError({ code: MONGO_ERROR_CODES.failure, message: `Invalid index declarations: ${problems.join('; ')}`, retryable: false });
  }
}

function groupByCollection(specs: readonly IndexSpec[]): Map<string, IndexSpec[]> {
  const groups = new Map<string, IndexSpec[]>();
  for (const spec of specs) {
    const group = groups.get(spec.collection) ?? [];
    group.push(spec);
    groups.set(spec.collection, group);
  }
  return groups;
}

// db.command rather than collection.createIndexes: the reply's numIndexesBefore/After tells a
// no-op from a change, on real MongoDB and on the stand-in alike.
async function createIndexes(db: Db, collection: string, specs: IndexSpec[]): Promise<Document> {
  try {
    return await db.command({ createIndexes: collection, indexes: specs.map(toIndexDocument) });
  } catch (err) {
    const mapped = mapMongoError(err, `${collection}.createIndexes`);
    // Existing documents violating a new unique index, or an outage: keep their own codes.
    if (isAppError(mapped) && mapped.code !== MONGO_ERROR_CODES.failure) throw mapped;
    throw new AppError({
      code: MONGO_ERROR_CODES.failure, retryable: false, cause: err,
      message: `Creating indexes [${specs.map((spec) => spec.name).join(', ')}] on ${collection} failed: ${mapped.message}`,
    });
  }
}

function toIndexDocument(spec: IndexSpec): Document {
  const index: Document = { key: spec.key, name: spec.name };
  // Only `true` is sent: the same declaration then always yields the same server-side spec,
  // whichever way "not unique" was written.
  if (spec.unique === true) index['unique'] = true;
  if (spec.sparse === true) index['sparse'] = true;
  if (spec.partialFilterExpression !== undefined) index['partialFilterExpression'] = spec.partialFilterExpression;
  return index;
}
