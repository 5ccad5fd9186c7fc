// How deep the multiparts of a raw message nest, measured before mailparser builds its tree.
//
// mailparser bounds the number of parts (maxChildNodes) and the header size (maxHeadSize) but not
// the depth. One linear pass over the lines, keeping the stack of open boundaries (RFC 2046
// §5.1.1), is enough to refuse a message nested deeper than any mail client writes. The scan is
// deliberately simple: it follows Content-Type headers, boundary lines and message/rfc822 parts
// (whose body starts with headers again, RFC 2046 §5.2.1); anything it cannot follow it treats
// as body, so it never reports more depth than the boundaries in the message imply.

interface ScanState {
  boundaries: string[];
  inHeader: boolean;
  header: string;
  /** The part whose headers are being read is a message/rfc822: its body is headers again. */
  embedded: boolean;
  /** The multipart boundary declared by the headers being read. */
  declared: string | undefined;
  deepest: number;
}

/** A Content-Type header line and its type/subtype (shared with mime-repair.ts). */
export const CONTENT_TYPE = /^content-type[ \t]*:[ \t]*([a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+)/i;
/** The boundary parameter of a multipart Content-Type (RFC 2046 §5.1.1). */
export const BOUNDARY = /;\s*boundary\s*=\s*(?:"([^"]{1,200})"|([^;\s"]{1,200}))/i;

/** The deepest multipart nesting in the message, or stops early once it exceeds `stopAbove`. */
export function mimeDepth(raw: Buffer, stopAbove: number): number {
  const text = raw.toString('latin1');
  const state: ScanState = { boundaries: [], inHeader: true, header: '', embedded: false, declared: undefined, deepest: 0 };
  let start = 0;
  while (start < text.length && state.deepest <= stopAbove) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    if (state.inHeader) headerLine(state, line);
    else bodyLine(state, line);
    start = end + 1;
  }
  return state.deepest;
}

function headerLine(state: ScanState, line: string): void {
  if (line === '') {
    finishHeader(state);
    if (state.declared !== undefined) {
      state.boundaries.push(state.declared);
      state.deepest = Math.max(state.deepest, state.boundaries.length);
    }
    // message/rfc822: the body is an embedded message, which starts with its own headers.
    state.inHeader = state.embedded;
    state.embedded = false;
    state.declared = undefined;
    return;
  }
  if ((line.startsWith(' ') || line.startsWith('\t')) && state.header) {
    // A folded Content-Type is what matters; other headers can be as long as they like.
    if (state.header.length < 4096) state.header += line;
    return;
  }
  finishHeader(state);
  state.header = CONTENT_TYPE.test(line) ? line : '';
}

function finishHeader(state: ScanState): void {
  const header = state.header;
  state.header = '';
  const match = CONTENT_TYPE.exec(header);
  if (!match) return;
  const type = match[1]!.toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = BOUNDARY.exec(header);
    if (boundary) state.declared = (boundary[1] ?? boundary[2])!;
  } else if (type === 'message/rfc822' || type === 'message/global') {
    state.embedded = true;
  }
}

function bodyLine(state: ScanState, line: string): void {
  if (!line.startsWith('--') || state.boundaries.length === 0) return;
  const marker = line.trimEnd();
  for (let i = state.boundaries.length - 1; i >= 0; i--) {
    const boundary = state.boundaries[i]!;
    if (marker === `--${boundary}`) {
      state.boundaries.length = i + 1; // closes every part nested inside this one
      state.inHeader = true;
      return;
    }
    if (marker === `--${boundary}--`) {
      state.boundaries.length = i;
      return;
    }
  }
}
