import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError, mapDriverErrors } from '@inviteflow/mongo';
import type { Sighting, UnresolvedStore } from '../domain/directory.ports';
import { COLLECTIONS, UnresolvedDoc } from './directory.documents';

/** Mail ids remembered per address to recognise a redelivery; redeliveries come in minutes. */
const REMEMBERED_MAIL_IDS = 50;
/** Display names kept per address for suggestions (the most recent distinct ones). */
const REMEMBERED_NAMES = 10;

/**
 * unresolved_addresses: one document per directory key that mail arrived for while nobody
 * held it. It holds only addresses in our domains that someone wrote to, so it stays small;
 * the listing scans it (an admin query, not a hot path).
 */
export class UnresolvedRepository implements UnresolvedStore {
  private readonly unresolved: Collection<UnresolvedDoc>;

  constructor(db: Db) {
    this.unresolved = db.collection(COLLECTIONS.unresolved);
    return mapDriverErrors(this, 'UnresolvedRepository');
  }

  /**
   * Counts the sighting once per (address, mail): the filter matches only when this mail id
   * is not yet remembered, so a repeat makes the upsert collide on `_id` and counts nothing.
   * A new sighting reopens an address that was resolved and lost its holder again.
   * Round trips: 1, plus 1 when a display name is given.
   */
  async note(s: Sighting): Promise<boolean> {
    let counted = true;
    try {
      await this.unresolved.updateOne(
        { _id: s.key, mailIds: { $ne: s.mailId } },
        {
          $inc: { count: 1 },
          $min: { firstSeen: s.seenAt },
          $max: { lastSeen: s.seenAt },
          $push: { mailIds: { $each: [s.mailId], $slice: -REMEMBERED_MAIL_IDS } },
          $set: { resolvedAt: null, resolvedTo: null },
          $setOnInsert: { address: s.address, domain: s.domain, displayNames: [] },
        },
        { upsert: true },
      );
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      counted = false;
    }
    if (s.displayName) {
      await this.unresolved.updateOne(
        { _id: s.key, displayNames: { $ne: s.displayName } },
        { $push: { displayNames: { $each: [s.displayName], $slice: -REMEMBERED_NAMES } } },
      );
    }
    return counted;
  }

  /** Marks keys an associate now holds as resolved (kept for the record). 1 round trip. */
  async markResolved(keys: string[], associateId: string, at: Date): Promise<void> {
    if (keys.length === 0) return;
    await this.unresolved.updateMany({ _id: { $in: keys } }, { $set: { resolvedAt: at, resolvedTo: associateId } });
  }

  /** Open ones (or all), most recently seen first, and the number of open ones. */
  async list(limit: number, includeResolved: boolean): Promise<{ docs: UnresolvedDoc[]; totalOpen: number }> {
    const all = await this.unresolved.find({}).toArray();
    const open = all.filter((d) => !d.resolvedAt);
    const docs = (includeResolved ? all : open).sort((a, b) => b.lastSeen.getTime() - a.lastSeen.getTime()).slice(0, limit);
    return { docs, totalOpen: open.length };
  }

  async *all(): AsyncGenerator<UnresolvedDoc> {
    yield* this.unresolved.find({});
  }

  /** Re-keying: folds `doc` into the document of `key` and removes the old one. */
  async moveTo(doc: UnresolvedDoc, key: string): Promise<void> {
    await this.unresolved.updateOne(
      { _id: key },
      {
        $inc: { count: doc.count },
        $min: { firstSeen: doc.firstSeen },
        $max: { lastSeen: doc.lastSeen },
        $setOnInsert: { address: doc.address, domain: doc.domain, displayNames: doc.displayNames, mailIds: doc.mailIds, resolvedAt: doc.resolvedAt ?? null, resolvedTo: doc.resolvedTo ?? null },
      },
      { upsert: true },
    );
    await this.unresolved.deleteOne({ _id: doc._id });
  }
}
