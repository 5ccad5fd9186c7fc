// A bounce as Postfix writes one (bounce(8) with its default RET=FULL): multipart/report with
// report-type=delivery-status (RFC 6522), a human notification, the message/delivery-status
// fields of RFC 3464 (per-message block, then one block per recipient), and the returned message
// as message/rfc822. The layout follows the corpus's postfix-dsn__bounced-request-message-rfc822.eml;
// the content is the project's own.
import { multipartMail } from './ics-builders';

export interface DsnFixture {
  /** Who the bounce goes to: the returned message's envelope sender. */
  to: string;
  failedRecipient: string;
  /** RFC 3463 enhanced status code (default 5.1.1, user unknown). */
  status?: string;
  /** The remote server's reply (default: Postfix's "550 5.1.1 … User unknown" wording). */
  diagnostic?: string;
  /** The returned message's bytes; `headersOnly` returns only its header block (RET=HDRS). */
  original: Buffer;
  headersOnly?: boolean;
  queueId?: string;
}

export function buildPostfixDsn(f: DsnFixture): Buffer {
  const status = f.status ?? '5.1.1';
  const queueId = f.queueId ?? '4F2A1C0E1B';
  const diagnostic = f.diagnostic ?? `smtp; 550 ${status} <${f.failedRecipient}>: Recipient address rejected: User unknown in virtual mailbox table`;
  const original = f.original.toString('utf8');
  const returned = f.headersOnly ? original.slice(0, original.search(/\r?\n\r?\n/) + 2) : original;
  return multipartMail([
    {
      headers: { 'Content-Description': 'Notification', 'Content-Type': 'text/plain; charset=us-ascii' },
      body: [
        'This is the mail system at host mx.bakery.example.com.', '',
        "I'm sorry to have to inform you that your message could not", 'be delivered to one or more recipients. It\'s attached below.', '',
        `<${f.failedRecipient}>: host mx.bakery.example.com[192.0.2.25] said: ${diagnostic.replace(/^smtp; /, '')} (in reply to RCPT TO command)`,
      ].join('\r\n'),
    },
    {
      headers: { 'Content-Description': 'Delivery report', 'Content-Type': 'message/delivery-status' },
      body: [
        'Reporting-MTA: dns; mx.bakery.example.com', `X-Postfix-Queue-ID: ${queueId}`, `X-Postfix-Sender: rfc822; ${f.to}`,
        'Arrival-Date: Mon, 16 Mar 2026 09:00:00 +0100', '',
        `Final-Recipient: rfc822; ${f.failedRecipient}`, `Original-Recipient: rfc822;${f.failedRecipient}`, 'Action: failed',
        `Status: ${status}`, 'Remote-MTA: dns; mx.bakery.example.com', `Diagnostic-Code: ${diagnostic.replace(/(.{60}\S*) /, '$1\r\n    ')}`, '',
      ].join('\r\n'),
    },
    {
      headers: f.headersOnly
        ? { 'Content-Description': 'Undelivered Message Headers', 'Content-Type': 'text/rfc822-headers' }
        : { 'Content-Description': 'Undelivered Message', 'Content-Type': 'message/rfc822' },
      body: returned,
    },
  ], {
    subtype: 'report; report-type=delivery-status',
    boundary: `${queueId}.1773648000/mx.bakery.example.com`,
    headers: {
      'From': 'MAILER-DAEMON@mx.bakery.example.com (Mail Delivery System)', 'To': f.to,
      'Subject': 'Undelivered Mail Returned to Sender', 'Message-ID': `<20260316080000.${queueId}@mx.bakery.example.com>`,
      'Auto-Submitted': 'auto-replied', 'Date': 'Mon, 16 Mar 2026 09:00:01 +0100',
    },
  });
}
