import type { Collection, Db } from 'mongodb';
import { IndexSpec, insertIfAbsent, mapDriverErrors } from '@inviteflow/mongo';
import { AppError } from '@inviteflow/runtime';
import { AppointmentState, appointmentId } from '../domain/appointment';
import { compareRevision } from '../domain/itip-ordering';

export interface AppointmentDoc extends AppointmentState {
  _id: string;
  /** Optimistic-concurrency counter: every write is conditional on it. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface InviteOutcomeDoc {
  _id: string;
  mailId: string;
  uid: string;
  method: string;
  outcome: string;
  detail: string;
  appointmentIds: string[];
  /** Addresses the invite still waits for (parked); emptied as each becomes known. */
  parkedFor: string[];
  /** What happened later, one line each (a parked part applied). */
  history?: string[];
  recordedAt: Date;
}

export type ApplyResult = 'created' | 'updated' | 'unchanged' | 'stale';

export const APPOINTMENT_INDEXES: IndexSpec[] = [
  { collection: 'appointments', key: { associateId: 1 }, name: 'associate' },
  { collection: 'appointments', key: { uid: 1 }, name: 'uid' },
  { collection: 'invite_outcomes', key: { mailId: 1 }, name: 'mail' },
];

const MAX_CONFLICT_RETRIES = 5;

/**
 * Appointments keyed by owner + UID + RECURRENCE-ID. Round trips per applied state: one read
 * plus one conditional write (insert, or update guarded by `version`); a lost race re-reads.
 * Correct under any delivery order and any number of appointment replicas, without locks.
 */
export class AppointmentRepository {
  private readonly appointments: Collection<AppointmentDoc>;
  private readonly outcomes: Collection<InviteOutcomeDoc>;

  constructor(db: Db) {
    this.appointments = db.collection('appointments');
    this.outcomes = db.collection('invite_outcomes');
    return mapDriverErrors(this, 'AppointmentRepository');
  }

  async apply(state: AppointmentState, now: Date): Promise<ApplyResult> {
    const _id = appointmentId(state);
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const stored = await this.appointments.findOne({ _id });
      if (!stored) {
        const created = await insertIfAbsent(this.appointments, { ...state, _id, version: 1, createdAt: now, updatedAt: now });
        if (created) return 'created';
        continue;
      }
      const verdict = compareRevision(stored, state);
      if (verdict === 'stale') return 'stale';
      if (verdict === 'same') return 'unchanged';
      const next = state.status === 'CANCELLED' ? cancelOnly(stored, state) : state;
      const res = await this.appointments.updateOne(
        { _id, version: stored.version },
        { $set: { ...next, updatedAt: now }, $inc: { version: 1 } },
      );
      if (res.modifiedCount === 1) return 'updated';
    }
    // Other writers kept winning: let the consumer retry the message later (it is idempotent).
    throw new AppError({ code: 'APPOINTMENT_WRITE_CONFLICT', message: `appointment ${_id}: still conflicting after ${MAX_CONFLICT_RETRIES} attempts`, retryable: true });
  }

  async recordOutcome(doc: Omit<InviteOutcomeDoc, '_id'>): Promise<void> {
    await this.outcomes.replaceOne({ _id: outcomeId(doc.mailId, doc.uid) }, doc, { upsert: true });
  }

  /**
   * A parked part of an invite was applied once `address` became known. Merged into the
   * mail's outcome rather than replacing it, so entries applied earlier and addresses still
   * parked stay on record. Each step is atomic on one document ($pull / $addToSet), so two
   * drains for two addresses of one mail cannot lose each other's update; whichever empties
   * `parkedFor` turns the outcome into APPLIED. Round trips: 1, or 2 when the last address.
   */
  async recordParkedApplied(
    key: { mailId: string; uid: string; method: string }, address: string, appointmentIds: string[], note: string, now: Date,
  ): Promise<void> {
    const _id = outcomeId(key.mailId, key.uid);
    const after = await this.outcomes.findOneAndUpdate(
      { _id },
      { $pull: { parkedFor: address }, $addToSet: { appointmentIds: { $each: appointmentIds } }, $push: { history: note }, $set: { recordedAt: now } },
      { returnDocument: 'after' },
    );
    if (!after) {
      await this.recordOutcome({ ...key, outcome: 'APPLIED', detail: note, appointmentIds, parkedFor: [], recordedAt: now });
      return;
    }
    if ((after.parkedFor ?? []).length === 0 && after.outcome !== 'APPLIED') {
      await this.outcomes.updateOne({ _id }, { $set: { outcome: 'APPLIED' } });
    }
  }

  /**
   * The outcomes recorded for one mail: one round trip. With the mail's UIDs the filter is
   * `_id $in` (exact keys: indexed on MongoDB and on the stand-in, ~1 ms at 100 k outcomes);
   * without them it is `{ mailId }`, which the `mail` index answers on MongoDB but which scans
   * on the stand-in (~22 ms at 100 k; an anchored `_id` prefix regex measured ~79 ms there,
   * so it is not used). docs/mongo-stand-in.md.
   */
  async findOutcomes(mailId: string, uids: readonly string[]): Promise<InviteOutcomeDoc[]> {
    const filter = uids.length > 0 ? { _id: { $in: [...new Set(uids)].map((uid) => outcomeId(mailId, uid)) } } : { mailId };
    const docs = await this.outcomes.find(filter).toArray();
    return docs.filter((d) => d.mailId === mailId).sort((a, b) => a.uid.localeCompare(b.uid));
  }

  /** Diary entries by id: one round trip on the `_id` index. */
  async findByIds(ids: readonly string[]): Promise<AppointmentDoc[]> {
    if (ids.length === 0) return [];
    return this.appointments.find({ _id: { $in: [...new Set(ids)] } }).toArray();
  }

  async listDiary(associateId: string, from?: Date, to?: Date): Promise<AppointmentDoc[]> {
    // Single-key equality (indexed on every backend); the window is applied here.
    const docs = await this.appointments.find({ associateId }).toArray();
    return docs
      .filter((d) => (!from || !d.end || d.end >= from) && (!to || !d.start || d.start < to))
      .sort((a, b) => (a.start?.getTime() ?? 0) - (b.start?.getTime() ?? 0));
  }

  async findByUid(uid: string): Promise<AppointmentDoc[]> {
    return this.appointments.find({ uid }).toArray();
  }
}

/** One outcome per (mail, UID): a redelivery or a later apply of a parked invite replaces it. */
export function outcomeId(mailId: string, uid: string): string {
  return `${mailId}|${uid}`;
}

/** A CANCEL changes the status and revision only (it may carry no DTSTART, RFC 5546 §3.2.5). */
function cancelOnly(stored: AppointmentDoc, incoming: AppointmentState): AppointmentState {
  return { ...stripDoc(stored), status: 'CANCELLED', sequence: incoming.sequence, dtstamp: incoming.dtstamp, sourceMailId: incoming.sourceMailId };
}

function stripDoc(doc: AppointmentDoc): AppointmentState {
  const { _id: _ignored, version: _v, createdAt: _c, updatedAt: _u, ...state } = doc;
  return state;
}
