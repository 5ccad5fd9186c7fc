import type { Collection, Db } from 'mongodb';
import { insertIfAbsent, mapDriverErrors } from '@inviteflow/mongo';
import type { MailboxDefinition } from '../imap/mailbox.types';

/** A mailbox definition as stored; `_id` is the mailbox id. Holds the secret: never returned to clients. */
export type MailboxDoc = Omit<MailboxDefinition, 'id'> & { _id: string; createdAt: Date };

/** mailboxes: the operator's mailbox definitions (ingest's own database). */
export class MailboxRepository {
  private readonly mailboxes: Collection<MailboxDoc>;

  constructor(db: Db) {
    this.mailboxes = db.collection('mailboxes');
    return mapDriverErrors(this, 'MailboxRepository');
  }

  /** Adds or replaces a definition; the checkpoint is kept apart and survives an edit. */
  async save(def: MailboxDefinition, now: Date): Promise<void> {
    const { id, ...rest } = def;
    await this.mailboxes.replaceOne({ _id: id }, { ...rest, createdAt: now }, { upsert: true });
  }

  async list(): Promise<MailboxDefinition[]> {
    const docs = await this.mailboxes.find({}).sort({ _id: 1 }).toArray();
    return docs.map(({ _id, createdAt: _createdAt, ...rest }) => ({ id: _id, ...rest }));
  }

  // --- Mailbox admin (src/grpc): add without replacing ---
  /** Adds a definition; false when one with this id exists (the unique _id decides, no race). */
  async insert(def: MailboxDefinition, now: Date): Promise<boolean> {
    const { id, ...rest } = def;
    return insertIfAbsent(this.mailboxes, { ...rest, _id: id, createdAt: now });
  }
  // --- end mailbox admin ---

  async remove(id: string): Promise<boolean> {
    const result = await this.mailboxes.deleteOne({ _id: id });
    return result.deletedCount === 1;
  }
}
