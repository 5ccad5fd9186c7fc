import { RAW_MAIL_BUCKET, SUBJECTS } from '@inviteflow/contracts';
import type { RawMailRef, RawMailStreamWriter } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { BodyDigest, mailFingerprint } from '../domain/mail-fingerprint';
import type { AcceptedMail } from '../smtp/smtp.listener';

/**
 * Recognises a mail announced before under another mail id (ingest with a database only:
 * data/processed-mail.repository.ts). `discard` removes the object just stored for the copy.
 */
export interface MailDedupe {
  announcedAs(fingerprint: string): Promise<string | undefined>;
  record(fingerprint: string, entry: { messageId: string; mailId: string; source: string }): Promise<void>;
  discard(objectName: string): Promise<void>;
}

export interface AcceptDeps {
  rawMail: Pick<RawMailStreamWriter, 'putStream'>;
  publish: (subject: string, payload: Uint8Array, msgId: string) => Promise<unknown>;
  dedupe?: MailDedupe;
}

/** The stored object, and when the mail was a copy of one announced before, that one's mail id (nothing was published). */
export type AcceptedRef = RawMailRef & { duplicateOf?: string };

/**
 * Makes the bytes durable (object store, by reference: architecture.md, Messaging), streaming
 * them as they arrive, then announces them. Only after both does SMTP answer 250. The mail id
 * is the msgID, so a retried publish of the same delivery is dropped by JetStream's duplicate
 * window. A body that errors (too large, client cut off) leaves no object behind.
 * `source` is 'smtp', or 'imap:<mailbox id>' for mail taken from a mailbox (src/imap).
 * With `dedupe`, a mail whose Message-ID + body hash was announced before is stored, found to
 * be a copy, discarded and not announced again (the first announcement stands).
 */
export async function storeAndAnnounce(mail: AcceptedMail, deps: AcceptDeps, source = 'smtp'): Promise<AcceptedRef> {
  const digest = deps.dedupe ? new BodyDigest() : undefined;
  const body = digest ? mail.body.pipeThrough(digestTap(digest)) : mail.body;
  const ref = await deps.rawMail.putStream(mail.mailId, body);
  const messageId = await mail.messageId;
  const fingerprint = digest ? mailFingerprint(messageId, digest.digest()) : undefined;
  if (deps.dedupe && fingerprint) {
    const first = await deps.dedupe.announcedAs(fingerprint);
    // The same mail id: our own earlier attempt got as far as the record; its object is this one.
    if (first !== undefined) {
      if (first !== mail.mailId) await deps.dedupe.discard(ref.name);
      return { ...ref, duplicateOf: first };
    }
  }
  const event = eventsV1.MailReceived.encode({
    mailId: mail.mailId, objectStore: RAW_MAIL_BUCKET, objectName: ref.name, sha256: ref.sha256, size: ref.size,
    envelopeFrom: mail.envelopeFrom, envelopeTo: mail.envelopeTo, messageId, receivedAt: mail.receivedAt, source,
    authInputs: mail.authInputs, // sender authentication inputs (issue 15 pt 4)
  }).finish();
  await deps.publish(SUBJECTS.mailReceivedV1, event, `mail:${mail.mailId}`);
  if (deps.dedupe && fingerprint) await deps.dedupe.record(fingerprint, { messageId, mailId: mail.mailId, source });
  return ref;
}

function digestTap(digest: BodyDigest): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      digest.add(chunk);
      controller.enqueue(chunk);
    },
  });
}
