import type { Collection, Db } from 'mongodb';
import { mapDriverErrors } from '@inviteflow/mongo';
import type { MeetingDoc, PendingEntry } from './meeting.codec';

export type { PendingEntry } from './meeting.codec';

/**
 * The commands a CRM change left on its copy (`meetings.pendingOutbound`, written by
 * MeetingRepository.save in the same guarded write as the change): read them, drop the ones
 * handed on, find copies that still hold some (the periodic re-check). Clearing is `$pull` by key
 * and never touches `version`, so it cannot make a concurrent change conflict; a command cleared
 * and then published again (a retry) keeps its msg id, which JetStream and outbound-mail dedupe.
 */
export class PendingOutboundRepository {
  private readonly meetings: Collection<MeetingDoc>;

  constructor(db: Db) {
    this.meetings = db.collection('meetings');
    return mapDriverErrors(this, 'PendingOutboundRepository');
  }

  async list(copyId: string): Promise<PendingEntry[]> {
    const doc = await this.meetings.findOne({ _id: copyId }, { projection: { pendingOutbound: 1 } });
    return doc?.pendingOutbound ?? [];
  }

  async clear(copyId: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.meetings.updateOne({ _id: copyId }, { $pull: { pendingOutbound: { key: { $in: keys } } } });
  }

  /** Ids of copies holding commands not yet handed on, at most `limit`. */
  async copiesWithPending(limit = 500): Promise<string[]> {
    const docs = await this.meetings.find({ 'pendingOutbound.key': { $exists: true } }, { projection: { _id: 1 } }).limit(limit).toArray();
    return docs.map((d) => d._id);
  }
}
