// Calendar text hidden one layer deeper than MIME says, and the last-resort search for a whole
// VCALENDAR in text. Used by mime-recovery.ts only.
//
// A client (or a gateway that rewrote the headers) sometimes encodes a text/calendar body twice:
// once more in base64 or quoted-printable (RFC 2045 §6.7, §6.8) beneath the declared
// Content-Transfer-Encoding, or in base64 while declaring none. After mailparser has undone the
// declared encoding the part is then base64 text, or quoted-printable text such as
// "DTSTART;TZID=3DEurope/Berlin". Each layer is undone only when what comes out is a VCALENDAR.
// The decoders are a few lines each: Buffer decodes base64, and quoted-printable needs only its
// two rules; the libraries that do this (libqp, libbase64) are mailparser's, not ours to import.

/** At most this much of a part is looked at to decide whether it is base64 of a VCALENDAR. */
const SNIFF_CHARS = 256;
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]*$/;
const STARTS_WITH_VCALENDAR = /^\uFEFF?\s*BEGIN:VCALENDAR/i;
/**
 * Quoted-printable writes "=" as "=3D" (RFC 2045 §6.7 rule 1), and every iCalendar parameter
 * holds one (RFC 5545 §3.2), so ";NAME=3D" is its mark; "=0D=0A" is a line break encoded as data.
 * Neither occurs in iCalendar written as it should be.
 */
const QUOTED_PRINTABLE_MARK = /;[A-Za-z0-9-]{1,64}=3D|=0D=0A/i;

export type ExtraLayer = 'base64' | 'quoted-printable';

/** Cheap: one regex over text that is parsed next anyway. */
export function looksQuotedPrintable(text: string): boolean {
  return QUOTED_PRINTABLE_MARK.test(text);
}

/** The content with its extra transfer-encoding layer undone, or undefined when it has none. */
export function unwrapExtraLayer(content: Buffer): { content: Buffer; layer: ExtraLayer } | undefined {
  const text = content.toString('latin1');
  if (isBase64OfVcalendar(text)) {
    const decoded = Buffer.from(text, 'base64');
    return { content: decoded, layer: 'base64' };
  }
  if (looksQuotedPrintable(text)) {
    const decoded = decodeQuotedPrintable(text);
    if (/^BEGIN:VCALENDAR/im.test(decoded.toString('latin1'))) return { content: decoded, layer: 'quoted-printable' };
  }
  return undefined;
}

function isBase64OfVcalendar(text: string): boolean {
  const head = text.slice(0, SNIFF_CHARS);
  if (!BASE64_TEXT.test(head)) return false;
  if (!STARTS_WITH_VCALENDAR.test(Buffer.from(head.replace(/\s+/g, '').slice(0, 160), 'base64').toString('utf8'))) return false;
  return BASE64_TEXT.test(text);
}

/** RFC 2045 §6.7: "=" at the end of a line is a soft line break, "=XX" is the octet XX. */
export function decodeQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=[ \t]*\r?\n/g, '');
  return Buffer.from(joined.replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
}

const BEGIN_LINE = /^[ \t]*BEGIN:VCALENDAR[ \t]*\r?$/gim;
const END_LINE = /^[ \t]*END:VCALENDAR[ \t]*\r?$/gim;

/**
 * Each whole BEGIN:VCALENDAR … END:VCALENDAR block in the text (lines at the left margin: a
 * quoted "> BEGIN:VCALENDAR" in a reply is not one), at most `maxBlocks`, each at most
 * `maxBytes` long. Both regexes move forward only, so the scan is linear in the text.
 */
export function findVcalendarBlocks(text: string, maxBytes: number, maxBlocks: number): string[] {
  const blocks: string[] = [];
  const begin = new RegExp(BEGIN_LINE.source, BEGIN_LINE.flags);
  const end = new RegExp(END_LINE.source, END_LINE.flags);
  while (blocks.length < maxBlocks) {
    const start = begin.exec(text);
    if (!start) break;
    end.lastIndex = begin.lastIndex;
    const stop = end.exec(text);
    if (!stop) break;
    const block = text.slice(start.index, stop.index + stop[0].length).trim();
    if (block.length <= maxBytes) blocks.push(block);
    begin.lastIndex = end.lastIndex;
  }
  return blocks;
}
