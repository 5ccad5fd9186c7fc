import { Binary, type Collection, type Db, type Filter } from 'mongodb';
import { insertIfAbsent, mapDriverErrors, updateIfVersion, type IndexSpec, type VersionedUpdateOutcome } from '@inviteflow/mongo';

export const DELIVERY_STATES = ['queued', 'sending', 'deferred', 'sent', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * One delivery: one command (its business key, `requestId`) to one recipient. Its state is kept
 * here, where operators can see it (zone-mta's `_deferred.{count,next,last}` idea):
 *   queued → sending → sent (the relay's answer)
 *                    → deferred (next attempt, attempts, last error) → sending → ...
 *                    → failed (code and reason)
 * `version` guards every transition (updateIfVersion), so two processes never both send it.
 */
export interface DeliveryDoc {
  /** `<requestId>:<recipient>`: a redelivered command finds its deliveries by it. */
  _id: string;
  requestId: string;
  recipient: string;
  uid: string;
  method: string;
  sequence: number;
  recurrenceId: string;
  state: DeliveryState;
  version: number;
  attempts: number;
  /** Due time: queued/deferred when to try; sending when the claim lapses (a dead sender). */
  nextAttemptAt: Date;
  /** The command as it arrived (OutboundRequested bytes), so a retry renders without the stream. */
  command: Binary;
  createdAt: Date;
  updatedAt: Date;
  messageId?: string;
  relayResponse?: string;
  lastError?: string;
  failureCode?: string;
  smtpCode?: number;
  sentAt?: Date;
  failedAt?: Date;
  /** sent/failed: mail.sent.v1 / mail.failed.v1 acknowledged by the stream. */
  eventPublished: boolean;
}

export const DELIVERY_INDEXES: IndexSpec[] = [
  { collection: 'deliveries', key: { state: 1, nextAttemptAt: 1 }, name: 'due' },
  { collection: 'deliveries', key: { uid: 1 }, name: 'uid' },
  { collection: 'deliveries', key: { requestId: 1 }, name: 'request' },
];

export function deliveryId(requestId: string, recipient: string): string {
  return `${requestId}:${recipient}`;
}

/** States a poll picks up when due: a sending one is due only when its claim lapsed. */
const DUE_STATES: DeliveryState[] = ['queued', 'deferred', 'sending'];

export class DeliveryRepository {
  private readonly deliveries: Collection<DeliveryDoc>;

  constructor(db: Db) {
    this.deliveries = db.collection('deliveries');
    return mapDriverErrors(this, 'DeliveryRepository');
  }

  /** True when inserted; false when the delivery exists (a redelivered command). One round trip. */
  async insertIfAbsent(doc: DeliveryDoc): Promise<boolean> {
    return insertIfAbsent(this.deliveries, doc);
  }

  async get(id: string): Promise<DeliveryDoc | null> {
    return this.deliveries.findOne({ _id: id });
  }

  /** Applies `set` only if the delivery is still at `version` (one round trip); version grows by one. */
  async transition(id: string, version: number, set: Partial<Omit<DeliveryDoc, '_id' | 'version'>>): Promise<VersionedUpdateOutcome> {
    return updateIfVersion(this.deliveries, id, version, { $set: set });
  }

  /** Due deliveries, oldest due first. */
  async due(now: Date, limit: number): Promise<DeliveryDoc[]> {
    return this.deliveries.find({ state: { $in: DUE_STATES }, nextAttemptAt: { $lte: now } }).sort({ nextAttemptAt: 1 }).limit(limit).toArray();
  }

  /** Finished deliveries whose event is not yet acknowledged (a publish failed or the process died). */
  async unpublished(limit: number): Promise<DeliveryDoc[]> {
    return this.deliveries.find({ state: { $in: ['sent', 'failed'] }, eventPublished: false }).limit(limit).toArray();
  }

  async list(filter: { uid?: string; requestId?: string }, limit: number): Promise<DeliveryDoc[]> {
    const q: Filter<DeliveryDoc> = {};
    if (filter.uid) q.uid = filter.uid;
    if (filter.requestId) q.requestId = filter.requestId;
    return this.deliveries.find(q).sort({ createdAt: -1, _id: 1 }).limit(limit).toArray();
  }

  /** Deliveries per state: one count per state (the stand-in has no cheap $group over an index). */
  async countByState(): Promise<Record<DeliveryState, number>> {
    const counts = await Promise.all(DELIVERY_STATES.map((state) => this.deliveries.countDocuments({ state })));
    return Object.fromEntries(DELIVERY_STATES.map((s, i) => [s, counts[i]!])) as Record<DeliveryState, number>;
  }
}

export function commandBytes(doc: Pick<DeliveryDoc, 'command'>): Uint8Array {
  return doc.command.value();
}

export function toBinary(bytes: Uint8Array): Binary {
  return new Binary(Buffer.from(bytes));
}
