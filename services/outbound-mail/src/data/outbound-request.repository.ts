import type { Collection, Db } from 'mongodb';
import { mapDriverErrors } from '@inviteflow/mongo';

/**
 * One document per outbound request, with its delivery state kept where operators can see
 * it (zone-mta style). Rendering and SMTP delivery come with the outbound issue; until then
 * a request is recorded as `queued` and stays visible, never dropped.
 */
export interface OutboundRequestDoc {
  _id: string;
  method: string;
  uid: string;
  sequence: number;
  recipients: string[];
  calendar: string;
  state: 'queued';
  receivedAt: Date;
}

export class OutboundRequestRepository {
  private readonly requests: Collection<OutboundRequestDoc>;

  constructor(db: Db) {
    this.requests = db.collection('outbound_requests');
    return mapDriverErrors(this, 'OutboundRequestRepository');
  }

  /** Idempotent: a redelivered request is stored once ($setOnInsert). One round trip. */
  async record(doc: OutboundRequestDoc): Promise<'recorded' | 'duplicate'> {
    const { _id, ...rest } = doc;
    const res = await this.requests.updateOne({ _id }, { $setOnInsert: rest }, { upsert: true });
    return res.upsertedCount === 1 ? 'recorded' : 'duplicate';
  }
}
