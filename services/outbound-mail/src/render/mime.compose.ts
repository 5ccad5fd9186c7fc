// The message around the calendar (RFC 6047 §2, as real clients want it), built by nodemailer's
// MailComposer: multipart/mixed holding multipart/alternative (text/plain, text/html,
// text/calendar; method=X) and the same calendar again as an application/ics attachment
// (invite.ics). Outlook looks for iMIP only in the first child of multipart/mixed (MS-OXCICAL
// V0343); Gmail and Apple Mail also read the attachment.
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type { FromPolicy } from './render.types';

export interface Party {
  address: string;
  name: string;
}

export interface Composition {
  businessKey: string;
  recipient: Party;
  /** Who acts: the organizer, or the attendee answering (REPLY, COUNTER). */
  actor: Party;
  from: FromPolicy;
  messageIdDomain: string;
  method: string;
  calendar: string;
  subject: string;
  text: string;
  html: string;
  date: Date;
}

export interface Composed {
  messageId: string;
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

/** One digest of the business key and the recipient: a retry of the same command is the same mail. */
const digest = (key: string, recipient: string): string => createHash('sha256').update(`${key}\n${recipient.toLowerCase()}`).digest('hex');

export function messageIdOf(businessKey: string, recipient: string, domain: string): string {
  return `<${digest(businessKey, recipient).slice(0, 40)}@${domain}>`;
}

/**
 * From / Sender / Reply-To by policy (issue 11 §2). `organizer`: the mail is from whoever acts.
 * `service`: from the service's address (the domain that signs it, so DMARC aligns), the actor
 * named in the display name, as Sender and as Reply-To, so an answer by mail reaches them.
 */
function addressing(c: Composition): { from: string | { name: string; address: string }; sender?: { name: string; address: string }; replyTo?: { name: string; address: string }; envelopeFrom: string } {
  const actor = { name: c.actor.name, address: c.actor.address };
  if (c.from.kind === 'organizer') return { from: actor, envelopeFrom: actor.address };
  const name = actor.name ? `${actor.name} (${c.from.name})` : c.from.name;
  return { from: { name, address: c.from.address }, sender: actor, replyTo: actor, envelopeFrom: c.from.address };
}

export async function composeMime(c: Composition): Promise<Composed> {
  const hash = digest(c.businessKey, c.recipient.address);
  const messageId = messageIdOf(c.businessKey, c.recipient.address, c.messageIdDomain);
  const { envelopeFrom, ...headers } = addressing(c);
  const options: Mail.Options & { baseBoundary: string } = {
    ...headers,
    to: c.recipient.name ? { name: c.recipient.name, address: c.recipient.address } : c.recipient.address,
    subject: c.subject,
    messageId,
    date: c.date,
    // Boundaries from the same digest, with the date fixed: a retry is byte for byte the same mail.
    baseBoundary: hash.slice(0, 16),
    text: c.text,
    html: c.html,
    icalEvent: { method: c.method, filename: 'invite.ics', content: c.calendar },
    // Outlook files a message with this class as a meeting request rather than as mail.
    headers: { 'Content-Class': 'urn:content-classes:calendarmessage' },
    // RFC 5322 §2.1: CRLF only, also inside the bodies (written with \n).
    newline: 'windows',
  };
  const raw = await new MailComposer(options).compile().build();
  return { messageId, envelope: { from: envelopeFrom, to: [c.recipient.address] }, raw };
}
