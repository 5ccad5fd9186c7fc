// What a bounce says (issue 11 §5): which recipients of which message could not be reached.
// A delivery status notification (RFC 3464) carries, in its message/delivery-status part, one
// block of per-message fields and one block per recipient (Final-Recipient, Action, Status,
// Diagnostic-Code), and usually returns the original as message/rfc822 (RET=FULL, Postfix's
// default) or only its headers as text/rfc822-headers (RET=HDRS). From the returned message
// come the Message-ID we sent and, when the calendar rode along, the meeting's UID.
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import type { ParseLimits } from './parse-outcome';
import { unfold } from './ics-lines';

/** One recipient the report says could not be reached (Action: failed, RFC 3464 §2.3.3). */
export interface BouncedRecipient {
  /** The Final-Recipient address (RFC 3464 §2.3.2), lowercase, without its address type. */
  recipient: string;
  /** Status, an RFC 3463 enhanced code: 5.x.x permanent, 4.x.x given up after retries. */
  status: string;
  /** Diagnostic-Code as the remote server said it, e.g. "smtp; 550 5.1.1 user unknown". */
  diagnostic: string;
}

/** The returned message, as far as the report carried it. */
export interface ReturnedMessage {
  /** Its Message-ID with angle brackets; '' when the report returned nothing. */
  messageId: string;
  /** From the text/calendar it held; '' when only headers (or nothing) came back. */
  uid: string;
  method: string;
  /** SEQUENCE of the returned calendar; undefined when it had none or none came back. */
  sequence?: number;
}

export interface DeliveryReport {
  reportingMta: string;
  failed: BouncedRecipient[];
  original: ReturnedMessage;
}

const STATUS_TYPES = /^message\/(global-)?delivery-status$/i;
const RETURNED_TYPES = /^(message\/(rfc822|global)|text\/rfc822-headers|message\/global-headers)$/i;

/** Reads a mail isDeliveryReport accepted. Never throws: a part it cannot read adds nothing. */
export async function readDeliveryReport(mail: ParsedMail, limits: ParseLimits): Promise<DeliveryReport> {
  const statusPart = mail.attachments.find((a) => STATUS_TYPES.test(typeOf(a)));
  const blocks = statusPart ? fieldBlocks(statusPart.content.toString('utf8')) : [];
  const [perMessage, ...perRecipient] = blocks;
  const failed = perRecipient
    .filter((fields) => (fields.get('action') ?? '').toLowerCase() === 'failed')
    .map((fields) => ({
      recipient: addressOf(fields.get('final-recipient') ?? fields.get('original-recipient') ?? ''),
      status: (fields.get('status') ?? '').split(/\s/)[0] ?? '',
      diagnostic: fields.get('diagnostic-code') ?? '',
    }))
    .filter((r) => r.recipient !== '');
  const returned = mail.attachments.find((a) => RETURNED_TYPES.test(typeOf(a)));
  const original = returned ? await readReturned(returned.content, limits) : { messageId: '', uid: '', method: '' };
  return { reportingMta: addressOf(perMessage?.get('reporting-mta') ?? ''), failed, original };
}

/**
 * RFC 3464 §2.1: groups of RFC 822-style fields separated by blank lines; a line starting with
 * white space continues the field before it. Field names are case-insensitive.
 */
export function fieldBlocks(text: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
    }
    if (fields.size > 0) blocks.push(fields);
  }
  return blocks;
}

/** "rfc822; <Homer@Example.org>" → "homer@example.org" (RFC 3464 §2.3.2's address-type; value). */
function addressOf(value: string): string {
  const semi = value.indexOf(';');
  return (semi >= 0 ? value.slice(semi + 1) : value).trim().replace(/^<|>$/g, '').toLowerCase();
}

async function readReturned(bytes: Buffer, limits: ParseLimits): Promise<ReturnedMessage> {
  try {
    const returned = await simpleParser(bytes, {
      skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true, checksumAlgo: false,
      maxHeadSize: limits.maxHeaderBytes, maxChildNodes: limits.maxMimeParts,
    } as Parameters<typeof simpleParser>[1]);
    const messageId = returned.messageId ? `<${returned.messageId.replace(/^<|>$/g, '')}>` : '';
    return { messageId, ...calendarIdentity(returned, limits) };
  } catch {
    return { messageId: '', uid: '', method: '' };
  }
}

/** UID, METHOD and SEQUENCE of the first VEVENT of the returned message's calendar, if any. */
function calendarIdentity(mail: ParsedMail, limits: ParseLimits): Omit<ReturnedMessage, 'messageId'> {
  const part = mail.attachments.find((a) => /^(text\/calendar|application\/ics)$/i.test(typeOf(a)) && a.content.length <= limits.maxCalendarBytes);
  if (!part) return { uid: '', method: '' };
  const lines = unfold(part.content.toString('utf8').replace(/\r\n/g, '\n'));
  const value = (name: string): string => {
    const line = lines.find((l) => l.toUpperCase().startsWith(`${name}:`) || l.toUpperCase().startsWith(`${name};`));
    return line ? line.slice(line.indexOf(':') + 1).trim() : '';
  };
  const sequence = value('SEQUENCE');
  return { uid: value('UID'), method: value('METHOD').toUpperCase(), ...(/^\d+$/.test(sequence) ? { sequence: Number(sequence) } : {}) };
}

function typeOf(attachment: Attachment): string {
  const type: unknown = attachment.contentType;
  return typeof type === 'string' ? type.trim().toLowerCase() : '';
}
