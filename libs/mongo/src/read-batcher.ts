import { BSON, type Collection, type Document, type Filter, type WithId } from 'mongodb';
import { mapMongoError } from './mongo.errors';
import { DEFAULT_MAX_BATCH_OPS } from './write-batcher';

interface Waiter<T> {
  key: string;
  resolve: (docs: WithId<T>[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Group read by one field's exact value (`_id`, or an indexed field): a look-up made while no
 * read is on the wire goes at once; look-ups made while one is on the wire wait for it and then
 * go together as one `find({ field: { $in: keys } })` — one round trip for all of them (issue 14).
 * Every look-up sees the database as of a moment after it was asked (the read it rides on is
 * sent after), so a caller that wrote first and looks second (CopyPipeline's hold / release)
 * still sees its own write and everything before it.
 */
export class ReadBatcher<T extends Document> {
  private readonly queue: Waiter<T>[] = [];
  private reading = false;

  constructor(
    private readonly collection: Collection<T>,
    private readonly field: string,
    private readonly maxKeys = DEFAULT_MAX_BATCH_OPS,
  ) {}

  /** The documents whose `field` equals `key` (any order). */
  find(key: string): Promise<WithId<T>[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, resolve, reject });
      this.kick();
    });
  }

  /** The document whose `field` equals `key`, if any (for a unique field such as `_id`). */
  async findOne(key: string): Promise<WithId<T> | undefined> {
    return (await this.find(key))[0];
  }

  private kick(): void {
    if (this.reading || this.queue.length === 0) return;
    this.reading = true;
    void this.read().finally(() => {
      this.reading = false;
      this.kick();
    });
  }

  private async read(): Promise<void> {
    const batch = this.queue.splice(0, this.maxKeys);
    const keys = [...new Set(batch.map((w) => w.key))];
    try {
      const filter = (keys.length === 1 ? { [this.field]: keys[0] } : { [this.field]: { $in: keys } }) as Filter<T>;
      const docs = await this.collection.find(filter).toArray();
      const byKey = new Map<string, WithId<T>[]>();
      for (const doc of docs) {
        const key = String((doc as Record<string, unknown>)[this.field]);
        byKey.set(key, [...(byKey.get(key) ?? []), doc]);
      }
      // Two look-ups of one key in a batch (two messages about one copy) each get their own
      // documents, as two reads would: neither may see what the other does to its objects.
      const served = new Set<string>();
      for (const w of batch) {
        const found = byKey.get(w.key) ?? [];
        w.resolve(served.has(w.key) ? found.map((d) => BSON.deserialize(BSON.serialize(d)) as WithId<T>) : found);
        served.add(w.key);
      }
    } catch (err) {
      const mapped = mapMongoError(err, `${this.collection.collectionName}.find`);
      batch.forEach((w) => w.reject(mapped));
    }
  }
}
