import type { eventsV1 } from '@inviteflow/proto-gen';
import type { SMTPServerSession } from 'smtp-server';

/**
 * The delivery facts SPF (RFC 7208 §4.1: client IP, HELO, MAIL FROM) and the audit need, as
 * only the SMTP session knows them; the parser evaluates SPF/DKIM/DMARC/ARC from them and the
 * stored bytes (docs/security.md, "Inbound mail authentication").
 */
export function smtpAuthInputs(session: SMTPServerSession): eventsV1.AuthInputs {
  return {
    clientIp: normaliseIp(session.remoteAddress ?? ''),
    helo: session.hostNameAppearsAs ?? '',
    smtpAuthUser: typeof session.user === 'string' ? session.user : '',
    tls: Boolean(session.secure),
    trustedAuthservIds: [],
  };
}

/**
 * For mail taken from a mailbox (src/imap): there is no SMTP client IP, so SPF cannot be
 * evaluated by us. When the operator marks the mailbox's provider trusted, its
 * Authentication-Results header (named by `trustedAuthservId`, e.g. "mx.google.com") supplies
 * SPF; otherwise SPF is recorded "none" and DKIM/DMARC/ARC come from the headers alone.
 * Mailbox intake sets `authInputs: mailboxAuthInputs(mailbox.trustedAuthservId)` on AcceptedMail.
 */
export function mailboxAuthInputs(trustedAuthservId?: string): eventsV1.AuthInputs {
  const id = (trustedAuthservId ?? '').trim().toLowerCase();
  return { clientIp: '', helo: '', smtpAuthUser: '', tls: false, trustedAuthservIds: id ? [id] : [] };
}

/** IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d; SPF's ip4 mechanisms want a.b.c.d. */
function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
