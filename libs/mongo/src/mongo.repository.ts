import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';
import { mapMongoError, isDuplicateKeyError } from './mongo.errors';

/**
 * Inserts `doc` unless a document with its `_id` (or another unique key) is already there:
 * true when inserted, false on a duplicate key. The insert is the existence check, so it is
 * one round trip and race-free (house-style §4: every write is guarded). Any other failure is
 * thrown mapped (mapMongoError).
 */
export async function insertIfAbsent<TSchema extends Document>(
  collection: Collection<TSchema>,
  doc: OptionalUnlessRequiredId<TSchema>,
): Promise<boolean> {
  try {
    await collection.insertOne(doc);
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw mapMongoError(err, `${collection.collectionName}.insertOne`);
  }
}

/**
 * Makes every method of a repository throw mapped errors (mapMongoError, with
 * "<name>.<method>" as context), so a repository never classifies driver errors itself and a
 * method added later cannot forget to. Promises and async iterables (cursors, generators) are
 * covered; synchronous results pass through. A repository applies it once, in its constructor:
 * `return mapDriverErrors(this, 'AssociateRepository')`.
 */
export function mapDriverErrors<T extends object>(repository: T, name: string): T {
  // One wrapper per method, kept, so `repo.method === repo.method`; a Proxy with an `apply`
  // trap rather than a new function, so the method's own properties (a test spy's) still show.
  const wrappers = new WeakMap<object, unknown>();
  return new Proxy(repository, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'constructor') return value;
      if (!wrappers.has(value)) wrappers.set(value, mappedMethod(value as (...args: unknown[]) => unknown, target, `${name}.${String(property)}`));
      return wrappers.get(value);
    },
  });
}

function mappedMethod(method: (...args: unknown[]) => unknown, target: object, context: string): unknown {
  return new Proxy(method, {
    apply(fn, _thisArg, args: unknown[]) {
      try {
        return mapped(Reflect.apply(fn, target, args), context);
      } catch (err) {
        throw mapMongoError(err, context);
      }
    },
  });
}

function mapped(result: unknown, context: string): unknown {
  if (result instanceof Promise) return result.catch((err: unknown) => Promise.reject(mapMongoError(err, context)));
  if (isAsyncIterable(result)) return mappedIterable(result, context);
  return result;
}

async function* mappedIterable<T>(source: AsyncIterable<T>, context: string): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (err) {
    throw mapMongoError(err, context);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === 'object' && Symbol.asyncIterator in value;
}
