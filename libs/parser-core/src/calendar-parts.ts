// Which MIME parts of a parsed mail carry iCalendar, and their text.
//
// Parts are recognised by type and content, never by file name (domain.md §3). A part is a
// calendar when it is declared one (text/calendar in any case, application/ics,
// text/x-vcalendar) or, whatever it is declared as, its content starts with BEGIN:VCALENDAR:
// senders attach .ics files as text/plain (Lotus Notes) or application/octet-stream. mailparser finds parts at any multipart depth and
// exposes every non-body part as an "attachment", so this is a pass over that list.
import type { Attachment, HeaderValue, StructuredHeader } from 'mailparser';
import type { CalendarSource } from './calendar-parser';
import type { ParseLimits } from './parse-outcome';
import { WARNING, warning } from './warnings';

const CALENDAR_TYPES = new Set(['text/calendar', 'application/ics', 'text/x-vcalendar']);
const TNEF_TYPES = new Set(['application/ms-tnef', 'application/vnd.ms-tnef']);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface CalendarPartScan {
  sources: CalendarSource[];
  warnings: string[];
  /** Content types of the parts that are not calendars, for an ignore reason's detail. */
  otherTypes: string[];
  /** Parts declared as calendars whose content has no BEGIN:VCALENDAR. */
  emptyCalendarParts: string[];
  /** The content of Outlook TNEF parts (winmail.dat), in MIME order. */
  tnefParts: Buffer[];
  /** Set when a limit was hit; scanning stopped there and nothing else should be used. */
  tooLarge?: string;
}

export function findCalendarParts(attachments: Attachment[], limits: ParseLimits): CalendarPartScan {
  const scan: CalendarPartScan = { sources: [], warnings: [], otherTypes: [], emptyCalendarParts: [], tnefParts: [] };
  for (const attachment of attachments) {
    const type = contentTypeOf(attachment);
    const declared = CALENDAR_TYPES.has(type);
    // An attached message (forward, bounce) is somebody else's mail even if it holds an invite.
    if (type === 'message/rfc822' || (!declared && !startsWithVcalendar(attachment.content))) {
      scan.otherTypes.push(type);
      if (TNEF_TYPES.has(type)) scan.tnefParts.push(attachment.content);
      continue;
    }
    scan.tooLarge = overLimit(attachment, scan, limits);
    if (scan.tooLarge) return scan;
    addSource(scan, attachment, type, declared);
  }
  return scan;
}

/**
 * mailparser normally gives a string, but a header such as "Content-Type:;ext/calendar" leaves
 * it unset (found by fuzzing); RFC 2045 §5.2 makes an unreadable Content-Type text/plain.
 */
function contentTypeOf(attachment: Attachment): string {
  const type: unknown = attachment.contentType;
  return typeof type === 'string' && type.trim() ? type.trim().toLowerCase() : 'text/plain';
}

/** Checked before decoding, so an oversized part costs no more than mailparser already spent. */
function overLimit(attachment: Attachment, scan: CalendarPartScan, limits: ParseLimits): string | undefined {
  if (attachment.content.length > limits.maxCalendarBytes) {
    return `calendar part ${attachment.partId ?? '1'} is ${attachment.content.length} bytes; the limit is ${limits.maxCalendarBytes}`;
  }
  if (scan.sources.length >= limits.maxCalendarParts) return `more than ${limits.maxCalendarParts} calendar parts`;
  return undefined;
}

function addSource(scan: CalendarPartScan, attachment: Attachment, type: string, declared: boolean): void {
  const params = contentTypeParams(attachment.headers.get('content-type'));
  const label = `part ${attachment.partId ?? '1'} ${type}${attachment.filename ? ` "${attachment.filename}"` : ''}`;
  const text = decodeText(attachment.content, params.charset ?? '', label, scan.warnings);
  if (declared && !/^BEGIN:VCALENDAR/im.test(text)) {
    scan.emptyCalendarParts.push(label);
    scan.warnings.push(warning(WARNING.calendarPartEmpty, label));
    return;
  }
  // contentType feeds the choice between parts that disagree (part-choice.ts).
  scan.sources.push({ text, mimeMethod: params.method ?? '', label, contentType: type });
}

function startsWithVcalendar(content: Buffer): boolean {
  const head = content.subarray(0, 512);
  const withoutBom = head.subarray(0, 3).equals(UTF8_BOM) ? head.subarray(3) : head;
  return /^\s*BEGIN:VCALENDAR/i.test(withoutBom.toString('latin1'));
}

function contentTypeParams(value: HeaderValue | undefined): Record<string, string> {
  const header = Array.isArray(value) ? value[0] : value;
  if (header && typeof header === 'object' && 'params' in header) {
    return (header as StructuredHeader).params;
  }
  return {};
}

/**
 * The charset parameter decides the decoding; absent, iCalendar is UTF-8 (RFC 5545 §3.1.4).
 * Node's TextDecoder (WHATWG Encoding, full ICU) knows windows-1257, koi8-r, iso-8859-x and the
 * rest; a label it does not know falls back to UTF-8 with a warning rather than losing the invite.
 */
export function decodeText(content: Buffer, charset: string, label: string, warnings: string[]): string {
  const name = charset.trim() || 'utf-8';
  try {
    return new TextDecoder(name).decode(content);
  } catch {
    warnings.push(warning(WARNING.charsetUnknown, `charset "${name}" of ${label}; decoded as UTF-8`));
    return new TextDecoder('utf-8').decode(content);
  }
}
