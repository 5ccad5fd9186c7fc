import type { Collection, Db, UpdateFilter } from 'mongodb';
import { IndexSpec, isDuplicateKeyError, mapDriverErrors, WriteBatcher } from '@inviteflow/mongo';
import { effectiveEntries, summariseOutcome, type RecipientOutcome } from '../domain/outcome.summary';

export type { RecipientOutcome } from '../domain/outcome.summary';

/**
 * The audit of one (mail, UID). Two writers fill it, each touching only its own fields, so
 * neither overwrites the other whatever the order: the arrival (`record`: recipients, arrival)
 * and later applies of its parked or held parts (`recordAppliedLater`: later, history). The
 * summary fields are derived from both on every read.
 */
export interface InviteOutcomeDoc {
  _id: string;
  mailId: string;
  uid: string;
  method: string;
  /** The summary over recipients: APPLIED, PARKED, or the reason nothing was applied. */
  outcome: string;
  detail: string;
  /** Ids of the meeting copies it touched. */
  appointmentIds: string[];
  /** Addresses the invite still waits for (parked). */
  parkedFor: string[];
  /** Each recipient's outcome when the message arrived. */
  recipients?: RecipientOutcome[];
  /** Entries written when a parked or held part was applied later. */
  later?: RecipientOutcome[];
  /** The invite.parsed.v1 stream sequence: orders a meeting's history by arrival. */
  arrival?: number;
  /** What happened later, one line each. */
  history?: string[];
  recordedAt: Date;
  /** The mail's Authentication-Results (RFC 8601) as the parser evaluated them; absent on older records. */
  authentication?: string;
  /** The sender check's verdict (domain/sender-auth.ts senderCheckText). */
  senderCheck?: string;
}

export const OUTCOME_INDEXES: IndexSpec[] = [
  { collection: 'invite_outcomes', key: { mailId: 1 }, name: 'mail' },
  { collection: 'invite_outcomes', key: { uid: 1 }, name: 'uid' },
];

/** One outcome per (mail, UID): a redelivery replaces the arrival part. */
export function outcomeId(mailId: string, uid: string): string {
  return `${mailId}|${uid}`;
}

export interface ArrivalRecord {
  mailId: string;
  uid: string;
  method: string;
  recipients: RecipientOutcome[];
  arrival: number;
  recordedAt: Date;
  authentication?: string;
  senderCheck?: string;
}

/**
 * The audit trail: one document per (mail, UID) holding every recipient's outcome. Round trips:
 * 1 per write when quiet; writes made while one is on the wire go together in the next bulk
 * write (libs/mongo WriteBatcher: the messages handled at once share one round trip, issue 14).
 */
export class OutcomeRepository {
  private readonly outcomes: Collection<InviteOutcomeDoc>;
  private readonly batcher: WriteBatcher<InviteOutcomeDoc>;

  constructor(db: Db) {
    this.outcomes = db.collection('invite_outcomes');
    this.batcher = new WriteBatcher(this.outcomes);
    return mapDriverErrors(this, 'OutcomeRepository');
  }

  /** The arrival part: what the message did to each recipient's copy when it came. */
  async record(r: ArrivalRecord): Promise<void> {
    const summary = summariseOutcome(r.recipients);
    await this.upsert(outcomeId(r.mailId, r.uid), { $set: { ...r, ...summary } });
  }

  /**
   * A parked part applied once its address became known, or a held message once its meeting
   * arrived (`entry.appliedLater` says which). Appended ($push), so two drains for two
   * addresses of one mail, or a drain racing the arrival record, lose nothing.
   */
  async recordAppliedLater(key: { mailId: string; uid: string; method: string }, entry: RecipientOutcome, note: string, now: Date): Promise<void> {
    await this.upsert(outcomeId(key.mailId, key.uid), {
      $setOnInsert: { mailId: key.mailId, uid: key.uid, method: key.method, recordedAt: now },
      $push: { later: entry, history: note },
    });
  }

  /**
   * The outcomes recorded for one mail: one round trip. With the mail's UIDs the filter is
   * `_id $in` (exact keys: indexed on MongoDB and on the stand-in, ~1 ms at 100 k outcomes);
   * without them it is `{ mailId }`, which the `mail` index answers on MongoDB but which scans
   * on the stand-in (~22 ms at 100 k; docs/mongo-stand-in.md).
   */
  async findForMail(mailId: string, uids: readonly string[]): Promise<InviteOutcomeDoc[]> {
    const filter = uids.length > 0 ? { _id: { $in: [...new Set(uids)].map((uid) => outcomeId(mailId, uid)) } } : { mailId };
    const docs = await this.outcomes.find(filter).toArray();
    return docs.filter((d) => d.mailId === mailId).map(settled).sort((a, b) => a.uid.localeCompare(b.uid));
  }

  /** Every message that reached one meeting, in arrival order (`inviteflow meeting history`). */
  async historyOf(uid: string): Promise<InviteOutcomeDoc[]> {
    const docs = await this.outcomes.find({ uid }).toArray();
    return docs.map(settled).sort((a, b) => (a.arrival ?? 0) - (b.arrival ?? 0) || a.recordedAt.getTime() - b.recordedAt.getTime());
  }

  // Two first writers of one _id (arrival and a later apply) may both try to insert: the loser
  // of that race sees a duplicate key and simply updates the document the winner created.
  // Both writers' updates commute (disjoint fields), so they may share an unordered bulk write.
  private async upsert(_id: string, update: UpdateFilter<InviteOutcomeDoc>): Promise<void> {
    try {
      await this.batcher.write([{ updateOne: { filter: { _id }, update, upsert: true } }]);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      await this.outcomes.updateOne({ _id }, update);
    }
  }
}

/** The summary fields as the arrival and later parts say together. */
function settled(doc: InviteOutcomeDoc): InviteOutcomeDoc {
  const entries = effectiveEntries(doc.recipients ?? [], doc.later ?? []);
  const summary = summariseOutcome(entries);
  return { ...doc, ...summary, recipients: entries, recordedAt: doc.recordedAt ?? new Date(0) };
}
