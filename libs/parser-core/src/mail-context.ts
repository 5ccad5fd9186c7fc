// The mail an invitation came in, for the record only: never used to decide who organised or
// answered (domain.md §3: identity comes from the iCalendar).
import type { eventsV1 } from '@inviteflow/proto-gen';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { MailParseContext } from './parse-outcome';

export function mailContext(mail: ParsedMail, ctx: MailParseContext): eventsV1.MailContext {
  return {
    envelopeFrom: ctx.envelopeFrom,
    envelopeTo: [...ctx.envelopeTo],
    from: addresses(mail.from)[0] ?? '',
    sender: addresses(headerAddress(mail, 'sender'))[0] ?? '',
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    messageId: mail.messageId ?? '',
    subject: mail.subject ?? '',
    date: validDate(mail.date),
  };
}

/** What a bare .ics (no mail around it) carries: the delivery envelope only. */
export function envelopeOnly(ctx: MailParseContext): eventsV1.MailContext {
  return { envelopeFrom: ctx.envelopeFrom, envelopeTo: [...ctx.envelopeTo], from: '', sender: '', to: [], cc: [], messageId: '', subject: '', date: undefined };
}

/** mailparser parses Sender as an address header but does not lift it onto ParsedMail. */
function headerAddress(mail: ParsedMail, name: string): AddressObject | undefined {
  const value: unknown = mail.headers.get(name);
  return value && typeof value === 'object' && 'value' in value ? (value as AddressObject) : undefined;
}

/** Lowercase addresses in order, groups flattened (RFC 5322 §3.4), duplicates and blanks dropped. */
function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = Array.isArray(field) ? field : field ? [field] : [];
  const out: string[] = [];
  const visit = (entries: AddressObject['value']): void => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      const address = (entry.address ?? '').trim().toLowerCase();
      if (address && !out.includes(address)) out.push(address);
    }
  };
  for (const object of objects) visit(object.value);
  return out;
}

/** mailparser yields an Invalid Date for an unreadable Date header; that is no date at all. */
function validDate(date: Date | undefined): Date | undefined {
  return date && Number.isFinite(date.getTime()) ? date : undefined;
}
