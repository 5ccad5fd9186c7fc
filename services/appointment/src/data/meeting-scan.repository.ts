import type { Collection, Db } from 'mongodb';
import type { Caution, Meeting } from '@inviteflow/itip';
import { mapDriverErrors } from '@inviteflow/mongo';
import { fromMeetingDoc, type MeetingDoc } from './meeting.codec';

/**
 * Whole-collection jobs over the meeting copies (the not-in-sync marking): walks them in _id
 * order a page at a time, and adds a caution to a page of them in one atomic update. Round
 * trips: 1 per page read (the _id index answers the range on MongoDB), 1 per page marked.
 */
export class MeetingScan {
  private readonly meetings: Collection<MeetingDoc>;

  constructor(db: Db) {
    this.meetings = db.collection('meetings');
    return mapDriverErrors(this, 'MeetingScan');
  }

  /** Up to `limit` copies whose _id sorts after `afterId` ('' = from the first). */
  async pageAfter(afterId: string, limit: number): Promise<Meeting[]> {
    const docs = await this.meetings.find(afterId ? { _id: { $gt: afterId } } : {}).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map(fromMeetingDoc);
  }

  /** How many copies there are (the collection's metadata count: no scan). */
  async count(): Promise<number> {
    return this.meetings.estimatedDocumentCount();
  }

  /**
   * Adds the NOT_IN_SYNC caution to those of `ids` that were created before `cutoff` and do not
   * carry it yet; returns how many it marked. Per document atomic ($push and $inc in one
   * update): it never overwrites what an inbound apply wrote, and the version bump makes an
   * apply that read the copy before the mark lose its version-guarded save, re-read and keep
   * the caution (MeetingRepository.save). Marking again is a no-op (the filter skips them).
   * Writing the page at once costs 1 round trip where a guarded save per copy would cost one
   * each (and a collection scan each on the stand-in: docs/mongo-stand-in.md).
   */
  async markNotInSync(ids: readonly string[], caution: Caution, cutoff: Date, now: Date): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await this.meetings.updateMany(
      { _id: { $in: [...ids] }, 'body.cautions.code': { $ne: 'NOT_IN_SYNC' }, 'body.createdAt': { $lt: cutoff.toISOString() } },
      { $push: { 'body.cautions': caution }, $inc: { version: 1 }, $set: { updatedAt: now.toISOString() } },
    );
    return r.modifiedCount;
  }
}
