import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError, mapDriverErrors } from '@inviteflow/mongo';

interface LeaseDoc {
  _id: string;
  owner: string;
  expiresAt: Date;
}

/**
 * mailbox_leases: one document per mailbox naming the ingest replica that works it, until
 * `expiresAt`. Only the holder renews; anyone may take a lease that has expired, so a replica
 * that died (kill -9, lost node) loses its mailboxes after one TTL. Replicas' clocks must agree
 * to well within the TTL (NTP does).
 */
export class MailboxLeaseRepository {
  private readonly leases: Collection<LeaseDoc>;

  constructor(db: Db) {
    this.leases = db.collection('mailbox_leases');
    return mapDriverErrors(this, 'MailboxLeaseRepository');
  }

  /**
   * Takes or renews the lease: succeeds when nobody holds it, we do, or the holder's expired.
   * The upsert's insert collides on `_id` when another replica holds a live lease.
   */
  async acquire(mailboxId: string, owner: string, ttlMs: number, now: Date): Promise<boolean> {
    try {
      await this.leases.updateOne(
        { _id: mailboxId, $or: [{ owner }, { expiresAt: { $lt: now } }] },
        { $set: { owner, expiresAt: new Date(now.getTime() + ttlMs) } },
        { upsert: true },
      );
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err) || isDuplicateKeyError((err as { cause?: unknown }).cause)) return false;
      throw err;
    }
  }

  /** Gives the lease up (clean stop), so another replica need not wait for the TTL. */
  async release(mailboxId: string, owner: string): Promise<void> {
    await this.leases.deleteOne({ _id: mailboxId, owner });
  }

  async holder(mailboxId: string): Promise<{ owner: string; expiresAt: Date } | undefined> {
    const doc = await this.leases.findOne({ _id: mailboxId });
    return doc ? { owner: doc.owner, expiresAt: doc.expiresAt } : undefined;
  }
}
