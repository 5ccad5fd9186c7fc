import type { Collection, Db } from 'mongodb';
import { mapDriverErrors } from '@inviteflow/mongo';

interface ProcessedMailDoc {
  /** The fingerprint (domain/mail-fingerprint.ts): Message-ID + body hash. */
  _id: string;
  messageId: string;
  mailId: string;
  source: string;
  announcedAt: Date;
}

/**
 * processed_mail: one record per mail announced on mail.received.v1, written after the
 * publish was acknowledged. JetStream's duplicate window (2 minutes) only catches a repeated
 * msgID; this catches the same mail arriving again under another id: a mailbox re-scanned
 * after a UIDVALIDITY change, or the SMTP and mailbox copies of one mail.
 */
export class ProcessedMailRepository {
  private readonly records: Collection<ProcessedMailDoc>;

  constructor(db: Db) {
    this.records = db.collection('processed_mail');
    return mapDriverErrors(this, 'ProcessedMailRepository');
  }

  /** The mail id this fingerprint was first announced under, if it was. */
  async announcedAs(fingerprint: string): Promise<string | undefined> {
    const doc = await this.records.findOne({ _id: fingerprint });
    return doc?.mailId;
  }

  /** Keeps the first announcement: a later copy does not overwrite it. */
  async record(fingerprint: string, entry: { messageId: string; mailId: string; source: string }, now: Date): Promise<void> {
    await this.records.updateOne({ _id: fingerprint }, { $setOnInsert: { ...entry, announcedAt: now } }, { upsert: true });
  }
}
