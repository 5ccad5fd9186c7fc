/**
 * How far into a message we look for its header block: a Message-ID further in than this is
 * not read (the parser still sees the whole message).
 */
export const HEADER_SCAN_LIMIT = 256 * 1024;

/**
 * Reads the Message-ID header from raw bytes without a full MIME parse (ingest must answer
 * the SMTP client quickly; the parser does the real parse). Headers end at the first blank
 * line (RFC 5322 §2.1); folded continuation lines start with white space (§2.2.3).
 */
export function readMessageId(raw: Buffer): string {
  const end = headerBlockEnd(raw);
  const head = raw.subarray(0, Math.min(end >= 0 ? end : raw.length, HEADER_SCAN_LIMIT)).toString('latin1');
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const match = /^message-id:\s*(.+)$/im.exec(unfolded);
  return match?.[1]?.trim() ?? '';
}

function headerBlockEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  return crlf >= 0 ? crlf : raw.indexOf('\n\n');
}

/**
 * Keeps the first bytes of a message as they stream past, until its header block is complete
 * (the blank line) or HEADER_SCAN_LIMIT bytes are in, so the Message-ID is known without
 * holding the body.
 */
export class HeaderBlock {
  private head = Buffer.alloc(0);
  private done = false;

  /** Adds the next chunk (copied, at most up to the limit); true once the block is complete. */
  add(chunk: Uint8Array): boolean {
    if (this.done) return true;
    const room = HEADER_SCAN_LIMIT - this.head.length;
    this.head = Buffer.concat([this.head, chunk.subarray(0, room)]);
    this.done = this.head.length >= HEADER_SCAN_LIMIT || headerBlockEnd(this.head) >= 0;
    return this.done;
  }

  /** Bytes kept so far (never more than HEADER_SCAN_LIMIT). */
  get keptBytes(): number {
    return this.head.length;
  }

  get complete(): boolean {
    return this.done;
  }

  messageId(): string {
    return readMessageId(this.head);
  }
}
