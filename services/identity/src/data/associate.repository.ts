import type { Collection, Db } from 'mongodb';
import { insertIfAbsent, mapDriverErrors, updateIfVersion } from '@inviteflow/mongo';
import type { AssociateFields, AssociateStore } from '../domain/directory.ports';
import { AssociateDoc, AssociateNameDoc, COLLECTIONS } from './directory.documents';

/**
 * associates, and associate_names (name key → ids) for suggestions. Every filter is on
 * `_id`; a full replacement is guarded by `version` (libs/mongo updateIfVersion), alias
 * changes are single-document $addToSet / $pull.
 */
export class AssociateRepository implements AssociateStore {
  private readonly associates: Collection<AssociateDoc>;
  private readonly names: Collection<AssociateNameDoc>;

  constructor(db: Db) {
    this.associates = db.collection(COLLECTIONS.associates);
    this.names = db.collection(COLLECTIONS.associateNames);
    return mapDriverErrors(this, 'AssociateRepository');
  }

  async findById(id: string): Promise<AssociateDoc | null> {
    return this.associates.findOne({ _id: id });
  }

  async findByIds(ids: string[]): Promise<AssociateDoc[]> {
    if (ids.length === 0) return [];
    if (ids.length === 1) {
      const one = await this.associates.findOne({ _id: ids[0]! });
      return one ? [one] : [];
    }
    return this.associates.find({ _id: { $in: ids } }).toArray();
  }

  /** 'conflict' when another writer created it first. 1 round trip. */
  async insert(doc: AssociateDoc): Promise<'created' | 'conflict'> {
    return (await insertIfAbsent(this.associates, doc)) ? 'created' : 'conflict';
  }

  /** Replaces the fields if the stored version is still `expected`. 1 round trip. */
  async replaceIfVersion(id: string, expected: number, fields: AssociateFields, now: Date): Promise<'updated' | 'conflict'> {
    return updateIfVersion(this.associates, id, expected, { $set: { ...fields, updatedAt: now } });
  }

  async addAlias(id: string, alias: string, now: Date): Promise<AssociateDoc | null> {
    return this.associates.findOneAndUpdate(
      { _id: id },
      { $addToSet: { aliases: alias }, $set: { updatedAt: now }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
  }

  async removeAlias(id: string, alias: string, now: Date): Promise<AssociateDoc | null> {
    return this.associates.findOneAndUpdate(
      { _id: id },
      { $pull: { aliases: alias }, $set: { updatedAt: now }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
  }

  async delete(id: string): Promise<AssociateDoc | null> {
    return this.associates.findOneAndDelete({ _id: id });
  }

  /** A page in _id order after `afterId` (admin listing; scans on the stand-in). */
  async page(afterId: string, limit: number): Promise<AssociateDoc[]> {
    return this.associates.find(afterId ? { _id: { $gt: afterId } } : {}).sort({ _id: 1 }).limit(limit).toArray();
  }

  async *all(batchSize = 1000): AsyncGenerator<AssociateDoc> {
    yield* this.associates.find({}, { batchSize });
  }

  async idsByNameKeys(keys: string[]): Promise<Map<string, string[]>> {
    if (keys.length === 0) return new Map();
    const docs = await this.names.find({ _id: { $in: keys } }).toArray();
    return new Map(docs.map((d) => [d._id, d.associateIds]));
  }

  /** Moves `id` from one name key to another (either may be ''); 0-2 round trips. */
  async reindexName(id: string, from: string, to: string): Promise<void> {
    if (from === to) return;
    if (from) await this.names.updateOne({ _id: from }, { $pull: { associateIds: id } });
    if (to) await this.names.updateOne({ _id: to }, { $addToSet: { associateIds: id } }, { upsert: true });
  }
}
