import { RAW_MAIL_BUCKET, SUBJECTS } from '@inviteflow/contracts';
import type { RawMailRef, RawMailStreamWriter } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { AcceptedMail } from '../smtp/smtp.listener';

export interface AcceptDeps {
  rawMail: Pick<RawMailStreamWriter, 'putStream'>;
  publish: (subject: string, payload: Uint8Array, msgId: string) => Promise<unknown>;
}

/**
 * Makes the bytes durable (object store, by reference: architecture.md, Messaging), streaming
 * them as they arrive, then announces them. Only after both does SMTP answer 250. The mail id
 * is the msgID, so a retried publish of the same delivery is dropped by JetStream's duplicate
 * window. A body that errors (too large, client cut off) leaves no object behind.
 */
export async function storeAndAnnounce(mail: AcceptedMail, deps: AcceptDeps): Promise<RawMailRef> {
  const ref = await deps.rawMail.putStream(mail.mailId, mail.body);
  const event = eventsV1.MailReceived.encode({
    mailId: mail.mailId, objectStore: RAW_MAIL_BUCKET, objectName: ref.name, sha256: ref.sha256, size: ref.size,
    envelopeFrom: mail.envelopeFrom, envelopeTo: mail.envelopeTo, messageId: await mail.messageId, receivedAt: mail.receivedAt, source: 'smtp',
  }).finish();
  await deps.publish(SUBJECTS.mailReceivedV1, event, `mail:${mail.mailId}`);
  return ref;
}
