import type { Collection, Db } from 'mongodb';
import { insertIfAbsent, mapDriverErrors, updateIfVersion } from '@inviteflow/mongo';
import type { PersonFields, PersonStore } from '../domain/directory.ports';
import { COLLECTIONS, PersonAddressDoc, PersonDoc } from './directory.documents';

/**
 * persons, and person_address_keys (directory key → person ids). Persons may share an
 * address, so nothing here is unique except the ids; all filters are on `_id`.
 */
export class PersonRepository implements PersonStore {
  private readonly persons: Collection<PersonDoc>;
  private readonly keys: Collection<PersonAddressDoc>;

  constructor(db: Db) {
    this.persons = db.collection(COLLECTIONS.persons);
    this.keys = db.collection(COLLECTIONS.personAddresses);
    return mapDriverErrors(this, 'PersonRepository');
  }

  async findById(id: string): Promise<PersonDoc | null> {
    return this.persons.findOne({ _id: id });
  }

  async findByIds(ids: string[]): Promise<PersonDoc[]> {
    if (ids.length === 0) return [];
    if (ids.length === 1) {
      const one = await this.persons.findOne({ _id: ids[0]! });
      return one ? [one] : [];
    }
    return this.persons.find({ _id: { $in: ids } }).toArray();
  }

  /** Directory key → ids of the persons listing an address with that key. 1 round trip. */
  async idsByKeys(keys: string[]): Promise<Map<string, string[]>> {
    if (keys.length === 0) return new Map();
    const docs = keys.length === 1
      ? await this.keys.find({ _id: keys[0]! }).toArray()
      : await this.keys.find({ _id: { $in: keys } }).toArray();
    return new Map(docs.filter((d) => d.personIds.length > 0).map((d) => [d._id, d.personIds]));
  }

  async insert(doc: PersonDoc): Promise<'created' | 'conflict'> {
    return (await insertIfAbsent(this.persons, doc)) ? 'created' : 'conflict';
  }

  async replaceIfVersion(id: string, expected: number, fields: PersonFields, now: Date): Promise<'updated' | 'conflict'> {
    return updateIfVersion(this.persons, id, expected, { $set: { ...fields, updatedAt: now } });
  }

  async delete(id: string): Promise<PersonDoc | null> {
    return this.persons.findOneAndDelete({ _id: id });
  }

  /** Adds the person under each key: 1 round trip per key (an upsert each). */
  async index(personId: string, keys: string[]): Promise<void> {
    for (const key of keys) await this.keys.updateOne({ _id: key }, { $addToSet: { personIds: personId } }, { upsert: true });
  }

  async unindex(personId: string, keys: string[]): Promise<void> {
    for (const key of keys) await this.keys.updateOne({ _id: key }, { $pull: { personIds: personId } });
  }

  async page(afterId: string, limit: number): Promise<PersonDoc[]> {
    return this.persons.find(afterId ? { _id: { $gt: afterId } } : {}).sort({ _id: 1 }).limit(limit).toArray();
  }

  async *all(batchSize = 1000): AsyncGenerator<PersonDoc> {
    yield* this.persons.find({}, { batchSize });
  }

  async *allKeys(batchSize = 1000): AsyncGenerator<PersonAddressDoc> {
    yield* this.keys.find({}, { batchSize });
  }
}
