import type { Collection, Db } from 'mongodb';
import type { Meeting } from '@inviteflow/itip';
import { IndexSpec, isDuplicateKeyError, mapDriverErrors, ReadBatcher, updateIfVersion, WriteBatcher } from '@inviteflow/mongo';
import { fromMeetingDoc, meetingId, MeetingDoc, PendingEntry, toMeetingDoc } from './meeting.codec';

export { meetingId } from './meeting.codec';

export const MEETING_INDEXES: IndexSpec[] = [
  { collection: 'meetings', key: { associateId: 1 }, name: 'owner' },
  { collection: 'meetings', key: { uid: 1 }, name: 'uid' },
  // Only copies with entries not yet handed on carry the field: the re-check's look-up (sparse,
  // so the index stays as small as the backlog; the stand-in scans instead, docs/mongo-stand-in.md).
  { collection: 'meetings', key: { pendingSince: 1 }, name: 'pending', sparse: true },
];

export type SaveOutcome = 'saved' | 'conflict';

/**
 * Meeting copies (libs/itip's model), one document per (associate, UID). Storage only: every
 * rule lives in libs/itip, and the caller decides what to do on a conflict (re-read, re-apply).
 * Round trips: find 1, save 1. Reads by id and first inserts made while another of theirs is on
 * the wire share the next one (libs/mongo ReadBatcher, WriteBatcher: the messages handled at
 * once cost one round trip each step, issue 14); a guarded update needs its own match count, so
 * it goes alone.
 */
export class MeetingRepository {
  private readonly meetings: Collection<MeetingDoc>;
  private readonly byId: ReadBatcher<MeetingDoc>;
  private readonly inserts: WriteBatcher<MeetingDoc>;

  constructor(db: Db) {
    this.meetings = db.collection('meetings');
    this.byId = new ReadBatcher(this.meetings, '_id');
    this.inserts = new WriteBatcher(this.meetings);
    return mapDriverErrors(this, 'MeetingRepository');
  }

  async find(associateId: string, uid: string): Promise<Meeting | undefined> {
    return (await this.load(associateId, uid))?.meeting;
  }

  /** The copy with the entries still waiting on it to be handed on (the same one read). */
  async load(associateId: string, uid: string): Promise<{ meeting: Meeting; pending: PendingEntry[] } | undefined> {
    const doc = await this.byId.findOne(meetingId(associateId, uid));
    return doc ? { meeting: fromMeetingDoc(doc), pending: doc.pendingOutbound ?? [] } : undefined;
  }

  /**
   * Saves `next` if the stored copy is still the one it was computed from: inserted when
   * `loadedVersion` is undefined (nothing was stored), else replaced under libs/mongo's
   * version guard. 'conflict' means another writer got there first: re-read and re-apply.
   */
  async save(next: Meeting, loadedVersion: number | undefined, now: Date, pending: PendingEntry[] = []): Promise<SaveOutcome> {
    const { _id, version: _v, ...fields } = toMeetingDoc(next, now.toISOString());
    if (loadedVersion === undefined) {
      return this.insertIfAbsent({ _id, version: 1, ...fields, ...(pending.length ? { pendingOutbound: pending, pendingSince: now } : {}) });
    }
    // `pending` (a CRM change's commands, a message's events) is appended in the same guarded
    // write as the change (the outbox); `$min` keeps the oldest waiting entry's time.
    const update = pending.length ? { $set: fields, $push: { pendingOutbound: { $each: pending } }, $min: { pendingSince: now } } : { $set: fields };
    return (await updateIfVersion(this.meetings, _id, loadedVersion, update)) === 'updated' ? 'saved' : 'conflict';
  }

  /** The first version of a copy; another writer's copy with the same id is a conflict (re-read). */
  private async insertIfAbsent(doc: MeetingDoc): Promise<SaveOutcome> {
    try {
      await this.inserts.write([{ insertOne: { document: doc } }]);
      return 'saved';
    } catch (err) {
      if (isDuplicateKeyError(err)) return 'conflict';
      throw err;
    }
  }

  /** Every copy one associate holds (the diary expands them for a window). */
  async listByOwner(associateId: string): Promise<Meeting[]> {
    return (await this.meetings.find({ associateId }).toArray()).map(fromMeetingDoc);
  }

  /** Every copy of one meeting: the organizer's and each invited associate's. */
  async listByUid(uid: string): Promise<Meeting[]> {
    return (await this.meetings.find({ uid }).toArray()).map(fromMeetingDoc).sort((a, b) => a.id.localeCompare(b.id));
  }

  async findByIds(ids: readonly string[]): Promise<Meeting[]> {
    if (ids.length === 0) return [];
    return (await this.meetings.find({ _id: { $in: [...new Set(ids)] } }).toArray()).map(fromMeetingDoc);
  }
}
