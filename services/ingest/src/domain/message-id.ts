/**
 * Reads the Message-ID header from raw bytes without a full MIME parse (ingest must answer
 * the SMTP client quickly; the parser does the real parse). Headers end at the first blank
 * line (RFC 5322 §2.1); folded continuation lines start with white space (§2.2.3).
 */
export function readMessageId(raw: Buffer): string {
  const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = raw.subarray(0, end >= 0 ? Math.min(end, 256 * 1024) : Math.min(raw.length, 256 * 1024)).toString('latin1');
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const match = /^message-id:\s*(.+)$/im.exec(unfolded);
  return match?.[1]?.trim() ?? '';
}
