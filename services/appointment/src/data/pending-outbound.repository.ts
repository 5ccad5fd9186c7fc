import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { mapDriverErrors, WriteBatcher } from '@inviteflow/mongo';
import type { MeetingDoc, PendingEntry } from './meeting.codec';

export type { PendingEntry } from './meeting.codec';

/**
 * The copy's outbox (`meetings.pendingOutbound`, written by MeetingRepository.save in the same
 * guarded write as the change): the commands a CRM change left, and the events and commands an
 * inbound message produced. Read them, drop the ones handed on, find copies that still hold some
 * (the periodic re-check). Clearing never touches `version`, so it cannot make a concurrent change
 * conflict; an entry cleared and then published again (a retry) keeps its msg id, which JetStream
 * and outbound-mail dedupe.
 */
export class PendingOutboundRepository {
  private readonly meetings: Collection<MeetingDoc>;
  private readonly clears: WriteBatcher<MeetingDoc>;

  constructor(db: Db) {
    this.meetings = db.collection('meetings');
    this.clears = new WriteBatcher(this.meetings);
    return mapDriverErrors(this, 'PendingOutboundRepository');
  }

  async list(copyId: string): Promise<PendingEntry[]> {
    return (await this.load(copyId)).entries;
  }

  /** The entries with the copy's version they were read at (for `clear`'s exact form); version 0: no copy. */
  async load(copyId: string): Promise<{ version: number; entries: PendingEntry[] }> {
    const doc = await this.meetings.findOne({ _id: copyId }, { projection: { pendingOutbound: 1, version: 1 } });
    return { version: doc?.version ?? 0, entries: doc?.pendingOutbound ?? [] };
  }

  /**
   * Drops the entries handed on. `allAt`: the caller handed on every entry the copy held at that
   * version, so while the copy is still at it (entries are only ever added by a guarded save,
   * which moves the version; only clears happened since) the whole outbox and `pendingSince` go.
   * Otherwise (the copy moved on) `$pull` by key drops exactly ours; `pendingSince` stays and the
   * next hand-on at a settled version, or the re-check, removes it. Both statements are sent
   * together and give the same result in either order (the `$pull` finds nothing once the outbox
   * is unset; unsetting after the `$pull` drops only what was handed on), so they go through the
   * WriteBatcher with every other clear made meanwhile: 1 round trip, shared by the messages
   * handled at once (issue 14).
   */
  async clear(copyId: string, keys: string[], allAt?: number): Promise<void> {
    const ops: AnyBulkWriteOperation<MeetingDoc>[] = [];
    if (allAt !== undefined) ops.push({ updateOne: { filter: { _id: copyId, version: allAt }, update: { $unset: { pendingOutbound: '', pendingSince: '' } } } });
    if (keys.length > 0) ops.push({ updateOne: { filter: { _id: copyId, pendingOutbound: { $exists: true } }, update: { $pull: { pendingOutbound: { key: { $in: keys } } } } } });
    await this.clears.write(ops);
  }

  /**
   * Ids of copies holding entries since `since` or earlier, at most `limit`. Real MongoDB answers
   * it from the sparse `pending` index (only copies with leftovers are in it); the stand-in has
   * no non-unique indexes and scans the collection once per re-check (docs/mongo-stand-in.md).
   */
  async copiesWithPending(since: Date, limit = 500): Promise<string[]> {
    const docs = await this.meetings.find({ pendingSince: { $lte: since } }, { projection: { _id: 1 } }).limit(limit).toArray();
    return docs.map((d) => d._id);
  }
}
