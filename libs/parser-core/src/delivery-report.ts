// Bounces. A bounce returns somebody's message, invitation and all; it is never an invitation
// itself. This rule comes before any search for a calendar, and before any MIME recovery.
import type { AddressObject, ParsedMail, StructuredHeader } from 'mailparser';

/**
 * A delivery status notification (RFC 3464, or RFC 6533 for internationalised mail) inside a
 * multipart/report (RFC 6522). The bounced original rides along as message/rfc822 and may well
 * contain a text/calendar; it must never be taken for a fresh invite.
 */
export function isDeliveryReport(mail: ParsedMail): boolean {
  const { type, params } = topContentType(mail);
  if (type === 'multipart/report' && (params['report-type'] ?? '').toLowerCase().endsWith('delivery-status')) return true;
  return mail.attachments.some((part) => /^message\/(global-)?delivery-status$/i.test(String(part.contentType ?? '')));
}

/**
 * A message that reads like a bounce or another automatic report without being a well-formed
 * DSN: any multipart/report (RFC 6522; a read receipt returns the original too), a
 * X-Failed-Recipients header (Exim's non-DSN bounces), or mail from MAILER-DAEMON or postmaster
 * (the senders RFC 5321 §4.5.5 and §4.5.1 name for such reports). Damaged MIME in these is not
 * recovered: whatever calendar recovery would dig out is the returned message's, not ours.
 */
export function looksLikeBounce(mail: ParsedMail): boolean {
  if (topContentType(mail).type === 'multipart/report') return true;
  if (mail.headers.has('x-failed-recipients')) return true;
  return fromAddresses(mail.from).some((address) => /^(mailer-daemon|postmaster)@/i.test(address));
}

function topContentType(mail: ParsedMail): { type: string; params: Record<string, string> } {
  const contentType = mail.headers.get('content-type');
  if (contentType && typeof contentType === 'object' && 'params' in contentType) {
    const header = contentType as StructuredHeader;
    return { type: String(header.value ?? '').toLowerCase(), params: header.params };
  }
  return { type: '', params: {} };
}

function fromAddresses(from: AddressObject | undefined): string[] {
  return (from?.value ?? []).map((entry) => (entry.address ?? '').trim());
}
