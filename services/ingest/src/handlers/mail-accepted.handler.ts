import { RAW_MAIL_BUCKET, SUBJECTS } from '@inviteflow/contracts';
import type { RawMailStore } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { AcceptedMail } from '../smtp/smtp.listener';

export interface AcceptDeps {
  rawMail: RawMailStore;
  publish: (subject: string, payload: Uint8Array, msgId: string) => Promise<unknown>;
}

/**
 * Makes the bytes durable (object store, by reference: architecture.md, Messaging), then
 * announces them. Only after both does SMTP answer 250. The mail id is the msgID, so a
 * retried publish of the same delivery is dropped by JetStream's duplicate window.
 */
export async function storeAndAnnounce(mail: AcceptedMail, deps: AcceptDeps): Promise<void> {
  const ref = await deps.rawMail.put(mail.mailId, mail.raw);
  const event = eventsV1.MailReceived.encode({
    mailId: mail.mailId, objectStore: RAW_MAIL_BUCKET, objectName: ref.name, sha256: ref.sha256, size: ref.size,
    envelopeFrom: mail.envelopeFrom, envelopeTo: mail.envelopeTo, messageId: mail.messageId, receivedAt: mail.receivedAt, source: 'smtp',
  }).finish();
  await deps.publish(SUBJECTS.mailReceivedV1, event, `mail:${mail.mailId}`);
}
