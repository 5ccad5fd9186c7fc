import type { NatsConnection } from '@nats-io/nats-core';
import { Objm } from '@nats-io/obj';
import type { Db } from 'mongodb';
import { RAW_MAIL_BUCKET } from '@inviteflow/contracts';
import type { Metrics } from '@inviteflow/runtime';
import { ProcessedMailRepository } from '../data/processed-mail.repository';
import type { MailDedupe } from '../handlers/mail-accepted.handler';

/**
 * The durable dedupe behind storeAndAnnounce when ingest has a database (mailbox intake): the
 * processed-mail record, and removal of the object stored for a copy (the raw-mail bucket has
 * no expiry, so it would otherwise stay for good).
 */
export async function mailDedupe(db: Db, nc: NatsConnection, metrics: Pick<Metrics, 'counter'>, log: { warn(o: object, m?: string): void }): Promise<MailDedupe> {
  const records = new ProcessedMailRepository(db);
  // Opened after ingest's stream writer created the bucket.
  const bucket = await new Objm(nc).open(RAW_MAIL_BUCKET);
  const copies = metrics.counter({ name: 'inviteflow_mail_duplicates_total', help: 'Mails recognised as copies of one announced before (Message-ID + body hash): not announced, a stored copy removed' });
  return {
    announcedAs: (fingerprint) => records.announcedAs(fingerprint),
    record: (fingerprint, entry) => records.record(fingerprint, entry, new Date()),
    copyFound: async (objectName) => {
      copies.inc();
      if (objectName === undefined) return;
      // Best effort: the copy is already not announced; a leftover object only costs space.
      await bucket.delete(objectName).catch((err: unknown) => log.warn({ objectName, err }, 'could not remove the stored copy of a duplicate mail'));
    },
  };
}
