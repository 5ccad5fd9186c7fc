// Finding the calendar in mail whose MIME a client damaged (issue 13, point 2). The rule: a mail
// is never given up as having no calendar, or a malformed one, while a whole VCALENDAR is plainly
// there. Each recovery is named in a warning on every invite it yields.
//
// Recovery runs only when the normal reading found no calendar part, an empty one, or one that
// reads as quoted-printable (one regex over its text: the only cost a well-formed mail pays).
// Bounces come first and are never recovered (delivery-report.ts). The steps, cheapest first,
// each kept only when it finds more than the step before:
//   1. undo an extra base64 / quoted-printable layer inside a part (calendar-unwrap.ts);
//   2. repair the raw MIME minimally and let mailparser read it again (mime-repair.ts);
//   3. last resort: a whole BEGIN…END:VCALENDAR block in the text body or a text/* part.
import type { Attachment, ParsedMail, StructuredHeader } from 'mailparser';
import type { CalendarSource } from './calendar-parser';
import { decodeText, findCalendarParts, type CalendarPartScan } from './calendar-parts';
import { findVcalendarBlocks, looksQuotedPrintable, unwrapExtraLayer } from './calendar-unwrap';
import { isDeliveryReport, looksLikeBounce } from './delivery-report';
import { mimeDepth } from './mime-depth';
import { repairMime } from './mime-repair';
import type { ParseLimits } from './parse-outcome';
import { WARNING, warning } from './warnings';

export interface MailScan {
  mail: ParsedMail;
  scan: CalendarPartScan;
}

export type Recovery = { kind: 'recovered'; found: MailScan } | { kind: 'bounce' } | { kind: 'none' };

/** mailparser once more, on repaired bytes; undefined when it refuses them. */
export type ReadMime = (raw: Buffer) => Promise<ParsedMail | undefined>;

/** How much of a part's start is looked at to see whether it may hide a calendar. */
const UNWRAP_SNIFF_BYTES = 512;
/** A part larger than this cannot hide a calendar within maxCalendarBytes (base64 adds a third). */
const WRAPPED_SIZE_FACTOR = 2;

export function needsRecovery(scan: CalendarPartScan): boolean {
  if (scan.tooLarge) return false;
  return scan.sources.length === 0 || scan.emptyCalendarParts.length > 0 || scan.sources.some((source) => looksQuotedPrintable(source.text));
}

export async function recoverCalendar(raw: Buffer, found: MailScan, limits: ParseLimits, readMime: ReadMime): Promise<Recovery> {
  if (looksLikeBounce(found.mail)) return { kind: 'none' };
  let best = unwrapParts(found.mail, limits) ?? found;
  let mail = found.mail;
  if ((best.scan.sources.length === 0 || best.scan.emptyCalendarParts.length > 0) && mentionsCalendar(raw)) {
    const repaired = await repairAndReread(raw, limits, readMime);
    if (repaired === 'bounce') return { kind: 'bounce' };
    if (repaired) mail = repaired.mail;
    if (repaired && findsMore(repaired.scan, best.scan)) best = repaired;
  }
  if (best.scan.sources.length === 0) best = bareCalendars(mail, best.scan, limits) ?? best;
  return best === found ? { kind: 'none' } : { kind: 'recovered', found: best };
}

/**
 * Every repair in mime-repair.ts is about a VCALENDAR the raw bytes show (as text, or as base64
 * at the start of a part): one native byte search spares the other mail without a calendar,
 * the usual kind, the line pass and a second mailparser run.
 */
function mentionsCalendar(raw: Buffer): boolean {
  return raw.includes('BEGIN:VCALENDAR') || raw.includes('begin:vcalendar') || raw.includes('QkVHSU46VkNBTEVOREFS');
}

function findsMore(candidate: CalendarPartScan, current: CalendarPartScan): boolean {
  if (candidate.tooLarge) return true; // a limit hit on the repaired mail is still a limit
  if (candidate.sources.length !== current.sources.length) return candidate.sources.length > current.sources.length;
  return candidate.emptyCalendarParts.length < current.emptyCalendarParts.length;
}

/** Step 1: the parts, each with an extra transfer-encoding layer undone; undefined if none had one. */
function unwrapParts(mail: ParsedMail, limits: ParseLimits): MailScan | undefined {
  const notes: string[] = [];
  const attachments = mail.attachments.map((attachment) => {
    if (!mayHideCalendar(attachment, limits)) return attachment;
    const unwrapped = unwrapExtraLayer(attachment.content);
    if (!unwrapped) return attachment;
    notes.push(warning(WARNING.calendarUnwrapped, `${partLabel(attachment)}: ${layerNote(attachment, unwrapped.layer)}`));
    return { ...attachment, content: unwrapped.content };
  });
  if (notes.length === 0) return undefined;
  const scan = findCalendarParts(attachments, limits);
  scan.warnings.unshift(...notes);
  return { mail: { ...mail, attachments }, scan };
}

function layerNote(attachment: Attachment, layer: string): string {
  const declared = String(attachment.headers.get('content-transfer-encoding') ?? '').trim().toLowerCase();
  return `${layer} beneath ${declared ? `its declared Content-Transfer-Encoding ${declared}` : 'no declared Content-Transfer-Encoding'}; decoded`;
}

/** Declared a calendar, or (base64 aside) starts like one; never an attached message. */
function mayHideCalendar(attachment: Attachment, limits: ParseLimits): boolean {
  const type = String(attachment.contentType ?? '').toLowerCase();
  const size = attachment.content.length;
  if (type.startsWith('message/') || size === 0 || size > WRAPPED_SIZE_FACTOR * limits.maxCalendarBytes) return false;
  return type.includes('calendar') || type === 'application/ics' || sniff(attachment.content);
}

function sniff(content: Buffer): boolean {
  const head = content.subarray(0, UNWRAP_SNIFF_BYTES).toString('latin1');
  return /BEGIN:VCALENDAR/i.test(head) || /^\s*(?:77u\/)?QkVHSU46VkNBTEVOREFS/.test(head); // base64 of [BOM]"BEGIN:VCALENDAR"
}

/** Step 2: the repaired message read again; 'bounce' when the repair shows a DSN. */
async function repairAndReread(raw: Buffer, limits: ParseLimits, readMime: ReadMime): Promise<MailScan | 'bounce' | undefined> {
  const repair = repairMime(raw, limits.maxHeaderBytes + limits.maxCalendarBytes);
  // A rewritten delimiter can reveal nesting the first depth check could not see.
  if (!repair || mimeDepth(repair.raw, limits.maxMimeDepth) > limits.maxMimeDepth) return undefined;
  const mail = await readMime(repair.raw);
  if (!mail) return undefined;
  if (isDeliveryReport(mail)) return 'bounce';
  if (looksLikeBounce(mail)) return undefined;
  const found = unwrapParts(mail, limits) ?? { mail, scan: findCalendarParts(mail.attachments, limits) };
  found.scan.warnings.unshift(...repair.repairs.map((repaired) => warning(WARNING.mimeRepaired, repaired)));
  return found;
}

/** Step 3: whole VCALENDAR blocks in the text body and text/* parts, as parts of their own. */
function bareCalendars(mail: ParsedMail, scan: CalendarPartScan, limits: ParseLimits): MailScan | undefined {
  const sources: CalendarSource[] = [];
  const warnings: string[] = [];
  const take = (text: string, label: string, mimeMethod: string): void => {
    for (const block of findVcalendarBlocks(text, limits.maxCalendarBytes, limits.maxCalendarParts - sources.length)) {
      sources.push({ text: block, mimeMethod, label });
      warnings.push(warning(WARNING.calendarFromText, `${label}: a whole VCALENDAR outside any calendar part (MIME headers missing or misplaced) was parsed`));
    }
  };
  take(mail.text ?? '', 'text body', '');
  for (const attachment of mail.attachments) {
    if (!String(attachment.contentType ?? '').toLowerCase().startsWith('text/') || attachment.content.length > WRAPPED_SIZE_FACTOR * limits.maxCalendarBytes) continue;
    const params = contentTypeParams(attachment);
    const label = partLabel(attachment);
    take(decodeText(attachment.content, params.charset ?? '', label, warnings), label, params.method ?? '');
  }
  if (sources.length === 0) return undefined;
  return { mail, scan: { ...scan, sources, warnings: [...scan.warnings, ...warnings] } };
}

function contentTypeParams(attachment: Attachment): Record<string, string> {
  const header = attachment.headers.get('content-type');
  return header && typeof header === 'object' && 'params' in header ? (header as StructuredHeader).params : {};
}

function partLabel(attachment: Attachment): string {
  return `part ${attachment.partId ?? '1'} ${String(attachment.contentType ?? 'text/plain').toLowerCase()}`;
}
