import type { Collection, Db } from 'mongodb';
import { mapDriverErrors, ReadBatcher, WriteBatcher } from '@inviteflow/mongo';

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
 *
 * Look-ups and records are grouped across concurrent mails (libs/mongo ReadBatcher and
 * WriteBatcher, issue 14): with 8 SMTP connections flat out, one `find` and one `bulkWrite`
 * serve all the mails that asked while the previous one was on the wire, instead of a
 * findOne and an updateOne per mail. A quiet ingest still sends each at once. Each mail's
 * promise settles with its own statement: a refused record fails only that mail.
 */
export class ProcessedMailRepository {
  private readonly records: Collection<ProcessedMailDoc>;
  private readonly reads: ReadBatcher<ProcessedMailDoc>;
  private readonly writes: WriteBatcher<ProcessedMailDoc>;

  constructor(db: Db) {
    this.records = db.collection('processed_mail');
    this.reads = new ReadBatcher(this.records, '_id');
    this.writes = new WriteBatcher(this.records);
    return mapDriverErrors(this, 'ProcessedMailRepository');
  }

  /** The mail id this fingerprint was first announced under, if it was. */
  async announcedAs(fingerprint: string): Promise<string | undefined> {
    const doc = await this.reads.findOne(fingerprint);
    return doc?.mailId;
  }

  /**
   * Keeps the first announcement: a later copy does not overwrite it. Upserts of one
   * fingerprint in one unordered bulk commute ($setOnInsert: whichever lands first is kept,
   * as with two separate updates racing).
   */
  async record(fingerprint: string, entry: { messageId: string; mailId: string; source: string }, now: Date): Promise<void> {
    await this.writes.write([{ updateOne: { filter: { _id: fingerprint }, update: { $setOnInsert: { ...entry, announcedAt: now } }, upsert: true } }]);
  }
}
