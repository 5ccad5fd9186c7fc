import type { Collection, Db } from 'mongodb';
import { mapDriverErrors } from '@inviteflow/mongo';
import type { MailboxCheckpoint, MailboxStatus } from '../imap/mailbox.types';

interface CheckpointDoc extends MailboxCheckpoint {
  _id: string;
  updatedAt: Date;
}

type StatusDoc = Omit<MailboxStatus, 'mailboxId'> & { _id: string };

/**
 * mailbox_checkpoints (UIDVALIDITY + highest processed UID, one document per mailbox) and
 * mailbox_status (what `mailbox status` shows). Round trips: read 1, advance 1 per message.
 */
export class MailboxCheckpointRepository {
  private readonly checkpoints: Collection<CheckpointDoc>;
  private readonly statuses: Collection<StatusDoc>;

  constructor(db: Db) {
    this.checkpoints = db.collection('mailbox_checkpoints');
    this.statuses = db.collection('mailbox_status');
    return mapDriverErrors(this, 'MailboxCheckpointRepository');
  }

  async read(mailboxId: string): Promise<MailboxCheckpoint | undefined> {
    const doc = await this.checkpoints.findOne({ _id: mailboxId });
    return doc ? { uidValidity: doc.uidValidity, lastUid: doc.lastUid } : undefined;
  }

  /**
   * Starts over under a new UIDVALIDITY (RFC 3501 §2.3.1.1: old UIDs mean nothing there).
   * Also how a mailbox's first checkpoint is written.
   */
  async reset(mailboxId: string, uidValidity: string, now: Date): Promise<void> {
    await this.checkpoints.replaceOne({ _id: mailboxId }, { uidValidity, lastUid: 0, updatedAt: now }, { upsert: true });
  }

  /** Moves forward only, and only under the same UIDVALIDITY: a late or repeated call changes nothing. */
  async advance(mailboxId: string, uidValidity: string, uid: number, now: Date): Promise<boolean> {
    const result = await this.checkpoints.updateOne(
      { _id: mailboxId, uidValidity, lastUid: { $lt: uid } },
      { $set: { lastUid: uid, updatedAt: now } },
    );
    return result.modifiedCount === 1;
  }

  async saveStatus(status: MailboxStatus): Promise<void> {
    const { mailboxId, ...rest } = status;
    await this.statuses.replaceOne({ _id: mailboxId }, rest, { upsert: true });
  }

  async statusOf(mailboxId: string): Promise<MailboxStatus | undefined> {
    const doc = await this.statuses.findOne({ _id: mailboxId });
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { mailboxId: _id, ...rest };
  }
}
