// Minimal repairs to the raw bytes of a message whose MIME structure a client damaged, so that
// mailparser can read it a second time. Only mime-recovery.ts calls this, and only after the
// normal reading found no calendar (or an empty calendar part): well-formed mail never pays.
//
// What mailparser (mailsplit) already tolerates is left alone: SP/HTAB after a delimiter line
// and after a declared boundary (RFC 2046 §5.1.1 allows the first; mailsplit trims the second).
// What it does not, and real clients send, is repaired here:
//   - a delimiter line whose boundary differs from the declared one in case (or in whitespace
//     around it): the delimiter line is rewritten to the declared boundary;
//   - a part whose headers run straight into BEGIN:VCALENDAR with no blank line (RFC 2046 §5.1.1
//     requires one): a blank line is inserted, otherwise every calendar line reads as a header;
//   - a part whose MIME headers follow its calendar text (BEGIN…END:VCALENDAR, then
//     Content-Type…): the headers are moved in front of it;
//   - a part that starts with a blank line and then its headers (libical's complex-mime-error
//     sample): the blank line is dropped, otherwise the headers read as a text/plain body.
// One linear pass over the lines, like mime-depth.ts. Parts of an attached message/rfc822 are
// not entered: an attached message is never an invitation to this recipient.
import { BOUNDARY, CONTENT_TYPE } from './mime-depth';

export interface MimeRepair {
  raw: Buffer;
  /** One sentence per kind of repair made, for the warning. */
  repairs: string[];
}

interface Line {
  start: number;
  /** End of the content, before CR/LF. */
  end: number;
  /** Start of the next line. */
  next: number;
}

interface State {
  text: string;
  eol: string;
  maxHeadBytes: number;
  out: string[];
  /** text before this offset has been copied to out (or replaced). */
  copied: number;
  repairs: string[];
  /** Declared boundaries of the open multiparts, outermost first, trailing whitespace trimmed. */
  boundaries: string[];
  mode: 'head' | 'body';
  /** The head being read is a part's (after a delimiter line), not the message's own. */
  inPart: boolean;
  head: Line[];
  headBytes: number;
  /** A part that began with a blank line: the chunk after it may be its misplaced headers. */
  leadingBlank: Line | undefined;
}

const BEGIN_VCALENDAR = /^BEGIN:VCALENDAR[ \t]*$/i;
const END_VCALENDAR = /^END:VCALENDAR[ \t]*$/i;
/** RFC 5322 §2.2: a field name is printable US-ASCII except ":", then ":". */
const HEADER_LINE = /^[!-9;-~]{1,76}:/;
const FOLDED = /^[ \t]/;
const CONTENT_HEADER = /^content-[a-z-]{1,40}[ \t]*:/i;
/** Longest delimiter line worth comparing: a 70-character boundary plus generous padding. */
const MAX_DELIMITER_LINE = 1200;

/** The repaired message, or undefined when nothing needed (or could be given) a repair. */
export function repairMime(raw: Buffer, maxHeadBytes: number): MimeRepair | undefined {
  const text = raw.toString('latin1');
  const s = newState(text, maxHeadBytes);
  for (let start = 0; start < text.length; ) {
    const line = nextLine(text, start);
    if (s.mode === 'head') headLine(s, line);
    else bodyLine(s, line);
    start = line.next;
  }
  if (s.mode === 'head') finishHead(s);
  if (s.repairs.length === 0) return undefined;
  s.out.push(text.slice(s.copied));
  return { raw: Buffer.from(s.out.join(''), 'latin1'), repairs: s.repairs };
}

function newState(text: string, maxHeadBytes: number): State {
  const firstNewline = text.indexOf('\n');
  const eol = firstNewline > 0 && text.charCodeAt(firstNewline - 1) === 13 ? '\r\n' : '\n';
  return { text, eol, maxHeadBytes, out: [], copied: 0, repairs: [], boundaries: [], mode: 'head', inPart: false, head: [], headBytes: 0, leadingBlank: undefined };
}

function nextLine(text: string, start: number): Line {
  const newline = text.indexOf('\n', start);
  const next = newline === -1 ? text.length : newline + 1;
  let end = newline === -1 ? text.length : newline;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return { start, end, next };
}

function headLine(s: State, line: Line): void {
  const delimiter = delimiterOf(s, line);
  if (delimiter) {
    finishHead(s);
    takeDelimiter(s, line, delimiter);
    return;
  }
  if (line.end === line.start) {
    if (s.inPart && s.head.length === 0 && !s.leadingBlank) s.leadingBlank = line;
    else finishHead(s);
    return;
  }
  s.head.push(line);
  s.headBytes += line.next - line.start;
  // A head this long is no header block mailparser would accept either: leave it as it is.
  if (s.headBytes > s.maxHeadBytes) endHead(s, []);
}

function finishHead(s: State): void {
  const lines = s.head.map((line) => s.text.slice(line.start, line.end));
  const repaired = repairHead(lines);
  const first = s.leadingBlank ?? s.head[0];
  const last = s.head[s.head.length - 1];
  if (s.leadingBlank && last && (repaired || CONTENT_HEADER.test(lines[0]!))) {
    replace(s, first!.start, last.next, (repaired?.lines ?? lines).map((l) => l + s.eol).join(''));
    note(s, repaired?.repair ?? 'a part began with a blank line before its MIME headers; the blank line was removed');
    endHead(s, repaired?.headers ?? lines);
  } else if (s.leadingBlank) {
    endHead(s, []); // an empty header block and a body, as the sender wrote it
  } else if (repaired && first && last) {
    replace(s, first.start, last.next, repaired.lines.map((l) => l + s.eol).join(''));
    note(s, repaired.repair);
    endHead(s, repaired.headers);
  } else {
    endHead(s, lines);
  }
}

interface HeadRepair {
  lines: string[];
  headers: string[];
  repair: string;
}

/** The head of a part, repaired when it holds a VCALENDAR; undefined when it needs nothing. */
export function repairHead(lines: string[]): HeadRepair | undefined {
  const begin = lines.findIndex((line) => BEGIN_VCALENDAR.test(line));
  if (begin < 0) return undefined;
  if (begin > 0) {
    if (!HEADER_LINE.test(lines[0]!)) return undefined;
    const headers = lines.slice(0, begin);
    return { lines: [...headers, '', ...lines.slice(begin)], headers, repair: 'no blank line between a part\'s MIME headers and its calendar text; one was inserted' };
  }
  let end = 1;
  while (end < lines.length && !END_VCALENDAR.test(lines[end]!)) end++;
  const headers = lines.slice(end + 1);
  if (headers.length === 0 || !CONTENT_HEADER.test(headers[0]!)) return undefined;
  if (!headers.every((line) => HEADER_LINE.test(line) || FOLDED.test(line))) return undefined;
  return { lines: [...headers, '', ...lines.slice(0, end + 1)], headers, repair: 'a part\'s MIME headers came after its calendar text; they were moved before it' };
}

/** Learns the part's boundary from its headers and moves on to its body. */
function endHead(s: State, headers: string[]): void {
  const boundary = declaredBoundary(headers);
  if (boundary) s.boundaries.push(boundary);
  s.head = [];
  s.headBytes = 0;
  s.leadingBlank = undefined;
  s.mode = 'body';
}

/** The multipart boundary a header block declares (trailing whitespace trimmed, as mailsplit does). */
function declaredBoundary(headers: string[]): string | undefined {
  const at = headers.findIndex((line) => CONTENT_TYPE.test(line));
  if (at < 0) return undefined;
  let header = headers[at]!;
  for (let i = at + 1; i < headers.length && FOLDED.test(headers[i]!) && header.length < 4096; i++) header += headers[i];
  const type = CONTENT_TYPE.exec(header)![1]!.toLowerCase();
  if (!type.startsWith('multipart/')) return undefined;
  const match = BOUNDARY.exec(header);
  const boundary = match ? (match[1] ?? match[2])!.trimEnd() : '';
  return boundary || undefined;
}

interface Delimiter {
  index: number;
  close: boolean;
  exact: boolean;
  marker: string;
}

function delimiterOf(s: State, line: Line): Delimiter | undefined {
  const { text, boundaries } = s;
  if (boundaries.length === 0 || text.charCodeAt(line.start) !== 45 || text.charCodeAt(line.start + 1) !== 45) return undefined;
  if (line.end - line.start > MAX_DELIMITER_LINE) return undefined;
  const marker = text.slice(line.start, line.end).trimEnd();
  const found = matchDelimiter(boundaries, marker);
  return found && { ...found, marker };
}

function bodyLine(s: State, line: Line): void {
  const delimiter = delimiterOf(s, line);
  if (delimiter) takeDelimiter(s, line, delimiter);
}

function takeDelimiter(s: State, line: Line, found: Delimiter): void {
  const boundary = s.boundaries[found.index]!;
  if (!found.exact) {
    replace(s, line.start, line.end, `--${boundary}${found.close ? '--' : ''}`);
    const which = `delimiter lines differ from the declared boundary "${printable(boundary)}"`;
    const written = printable(found.close ? found.marker.slice(0, -2).trimEnd() : found.marker);
    if (!s.repairs.some((repair) => repair.startsWith(which))) note(s, `${which} in case or whitespace (written "${written}"); rewritten`);
  }
  s.boundaries.length = found.close ? found.index : found.index + 1;
  if (!found.close) {
    s.mode = 'head';
    s.inPart = true;
  }
}

/** Exact matches first (innermost out), so that a case-only difference never shadows a real delimiter. */
export function matchDelimiter(boundaries: string[], marker: string): { index: number; close: boolean; exact: boolean } | undefined {
  for (let i = boundaries.length - 1; i >= 0; i--) {
    if (marker === `--${boundaries[i]}`) return { index: i, close: false, exact: true };
    if (marker === `--${boundaries[i]}--`) return { index: i, close: true, exact: true };
  }
  const loose = `--${marker.slice(2).trim()}`.toLowerCase();
  for (let i = boundaries.length - 1; i >= 0; i--) {
    const boundary = boundaries[i]!.trim().toLowerCase();
    if (loose === `--${boundary}`) return { index: i, close: false, exact: false };
    if (loose === `--${boundary}--`) return { index: i, close: true, exact: false };
  }
  return undefined;
}

function replace(s: State, from: number, to: number, replacement: string): void {
  s.out.push(s.text.slice(s.copied, from), replacement);
  s.copied = to;
}

/** Each kind of repair is named once, however many parts it touched. */
function note(s: State, repair: string): void {
  if (!s.repairs.includes(repair) && s.repairs.length < 8) s.repairs.push(repair);
}

function printable(value: string): string {
  return value.replace(/[^ -~]/g, '?').slice(0, 80);
}
