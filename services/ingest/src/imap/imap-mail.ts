import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import type { AcceptedMail } from '../smtp/smtp.listener';

/**
 * The mail id of one IMAP message: derived from mailbox, UIDVALIDITY and UID, so fetching the
 * same message again after a crash (before the checkpoint moved) writes the same object and
 * publishes the same msgID, which JetStream's duplicate window drops. Shaped as a UUID like
 * SMTP's random ids (RFC 9562 §5.8, version 8: custom).
 */
export function imapMailId(mailboxId: string, uidValidity: string, uid: number): string {
  const hex = createHash('sha256').update(`imap\0${mailboxId}\0${uidValidity}\0${uid}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface FetchedMessage {
  mailboxId: string;
  uidValidity: string;
  uid: number;
  /** The Message-ID header, read by the same rule as SMTP (domain/message-id.ts). */
  messageId: string;
  /** The mailbox owner: the address the copy was delivered to. */
  recipient: string;
  content: Readable;
  internalDate?: Date;
}

/** Shapes a fetched message like an SMTP delivery, so both go through storeAndAnnounce. */
export function acceptedImapMail(msg: FetchedMessage, now: Date): AcceptedMail {
  return {
    mailId: imapMailId(msg.mailboxId, msg.uidValidity, msg.uid),
    body: Readable.toWeb(msg.content) as ReadableStream<Uint8Array> as unknown as AcceptedMail['body'],
    messageId: Promise.resolve(msg.messageId),
    // IMAP keeps no envelope sender; the recipient is the mailbox owner.
    envelopeFrom: '',
    envelopeTo: msg.recipient ? [msg.recipient] : [],
    receivedAt: msg.internalDate ?? now,
  };
}
