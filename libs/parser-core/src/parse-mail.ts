// A delivered message (raw RFC 5322 bytes) → its outcome. The steps, in order: size, MIME,
// "is this a bounce", find the calendar parts (recovering damaged MIME if need be), parse them.
import { simpleParser, type ParsedMail, type SimpleParserOptions } from 'mailparser';
import { parseCalendarSources } from './calendar-parser';
import { findCalendarParts, type CalendarPartScan } from './calendar-parts';
import { isDeliveryReport } from './delivery-report';
import { readDeliveryReport, type DeliveryReport } from './dsn-report';
import { mailContext } from './mail-context';
import { mimeDepth } from './mime-depth';
import { needsRecovery, recoverCalendar, type MailScan } from './mime-recovery';
import { classifyTnef } from './tnef';
import {
  DEFAULT_PARSE_LIMITS,
  ignored,
  rejected,
  type MailParseContext,
  type ParseLimits,
  type ParseOutcome,
} from './parse-outcome';

export async function parseMail(
  raw: Buffer,
  ctx: MailParseContext,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Promise<ParseOutcome> {
  try {
    return await parseMailSteps(raw, ctx, limits);
  } catch (err) {
    // The contract is one outcome per message, never a throw: whatever escaped is our bug.
    return rejected('PARSER_FAILURE', `unexpected ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
}

async function parseMailSteps(raw: Buffer, ctx: MailParseContext, limits: ParseLimits): Promise<ParseOutcome> {
  if (raw.length > limits.maxMessageBytes) {
    return rejected('TOO_LARGE', `message is ${raw.length} bytes; the limit is ${limits.maxMessageBytes}`);
  }
  const depth = mimeDepth(raw, limits.maxMimeDepth);
  if (depth > limits.maxMimeDepth) return rejected('MIME_TOO_DEEP', `multiparts nest more than ${limits.maxMimeDepth} deep`);
  const mime = await readMime(raw, limits);
  if (!mime.ok) return mime.outcome;
  // The DSN's own outcome stays "ignored"; what it reports failed rides along (issue 11 §5).
  if (isDeliveryReport(mime.mail)) return ignoredBounce(await readDeliveryReport(mime.mail, limits));
  const found = await findCalendar(raw, mime.mail, limits);
  if (found === 'bounce') return ignoredBounce();
  const { mail, scan } = found;
  if (scan.tooLarge) return rejected('TOO_LARGE', scan.tooLarge);
  if (scan.sources.length === 0) return withoutCalendar(scan, mail.text ?? '');
  return parseCalendarSources(scan.sources, { mailId: ctx.mailId, mail: mailContext(mail, ctx) }, limits, scan.warnings);
}

function ignoredBounce(report?: DeliveryReport): ParseOutcome {
  const outcome = ignored('DELIVERY_STATUS_NOTIFICATION', 'multipart/report delivery status (a bounce); its attached message is never a new invite');
  if (!report) return outcome;
  const failed = report.failed.map((r) => `${r.recipient} ${r.status}`).join(', ');
  const about = report.original.messageId || report.original.uid ? `; returned ${report.original.messageId || '(no Message-ID)'}${report.original.uid ? ` UID ${report.original.uid}` : ''}` : '';
  return { ...outcome, detail: `${outcome.detail}${failed ? `; failed: ${failed}` : ''}${about}`, bounce: report };
}

/** The calendar parts as MIME declares them; MIME recovery only when those are missing or damaged. */
async function findCalendar(raw: Buffer, mail: ParsedMail, limits: ParseLimits): Promise<MailScan | 'bounce'> {
  const found = { mail, scan: findCalendarParts(mail.attachments, limits) };
  if (!needsRecovery(found.scan)) return found;
  const recovery = await recoverCalendar(raw, found, limits, async (repaired) => {
    const again = await readMime(repaired, limits);
    return again.ok ? again.mail : undefined;
  });
  if (recovery.kind === 'bounce') return 'bounce';
  return recovery.kind === 'recovered' ? recovery.found : found;
}

type MimeResult = { ok: true; mail: ParsedMail } | { ok: false; outcome: ParseOutcome };

async function readMime(raw: Buffer, limits: ParseLimits): Promise<MimeResult> {
  const options: SimpleParserOptions = {
    // Never descend into an attached message/rfc822: a bounced or forwarded invitation is
    // somebody else's message, not an iMIP request addressed to this recipient.
    ignoreEmbedded: true,
    // Report message/delivery-status parts as attachments, so a DSN can be recognised.
    keepDeliveryStatus: true,
    // None of the text/HTML rendering is used; skipping it saves the CPU a large HTML body costs.
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
    keepCidLinks: true,
    checksumAlgo: false,
    maxHeadSize: limits.maxHeaderBytes,
    maxChildNodes: limits.maxMimeParts,
  };
  try {
    return { ok: true, mail: await simpleParser(raw, options) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // mailsplit tags its size limits (header block, number of parts) with EMAXLEN.
    const code = (err as { code?: unknown } | null)?.code;
    return { ok: false, outcome: code === 'EMAXLEN' ? rejected('TOO_LARGE', message) : rejected('MALFORMED_MIME', message) };
  }
}

export { isDeliveryReport } from './delivery-report';

function withoutCalendar(scan: CalendarPartScan, bodyText: string): ParseOutcome {
  if (scan.emptyCalendarParts.length > 0) {
    return rejected('MALFORMED_ICALENDAR', `calendar part without BEGIN:VCALENDAR: ${scan.emptyCalendarParts.join('; ')}`);
  }
  const tnef = scan.tnefParts.map(classifyTnef);
  const meeting = tnef.find((t) => t.kind === 'meeting');
  if (meeting) {
    // An invitation we cannot read: the sender meant one, so it is recorded as a rejection.
    return rejected('TNEF_MEETING_UNSUPPORTED', `Outlook sent the meeting only as TNEF winmail.dat (${meeting.messageClass}), without iCalendar`);
  }
  if (tnef.length > 0) {
    const what = tnef.map((t) => (t.kind === 'unreadable' ? `unreadable: ${t.detail}` : t.messageClass)).join(', ');
    return ignored('NO_CALENDAR_CONTENT', `only a TNEF winmail.dat (application/ms-tnef, ${what}), which is not a meeting`);
  }
  const types = [...new Set(scan.otherTypes)];
  // By MIME rules there is no calendar; say so when the text body still shows one (misplaced
  // part headers, as in libical's complex-mime-error sample), so an operator is not puzzled.
  const quoted = /^BEGIN:VCALENDAR/im.test(bodyText) ? '; a text body contains BEGIN:VCALENDAR (part headers misplaced?)' : '';
  return ignored('NO_CALENDAR_CONTENT', `${types.length ? `no calendar part; other parts: ${types.join(', ')}` : 'no calendar part'}${quoted}`);
}
