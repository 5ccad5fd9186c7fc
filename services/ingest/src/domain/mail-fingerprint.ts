import { createHash } from 'node:crypto';
import { HEADER_SCAN_LIMIT } from './message-id';

/**
 * What makes two deliveries "the same mail" (issue 12, point 3): the Message-ID plus a hash of
 * the body, i.e. the bytes after the header block (RFC 5322 §2.1). Headers are left out on
 * purpose: each hop adds trace fields (Received, Return-Path, Delivered-To; RFC 5321 §4.4), so
 * the SMTP copy and the mailbox copy of one mail differ there and agree on the body. A reused
 * or forged Message-ID with a different body is a different mail. Line breaks at the very end
 * of the body are left out too: delivery paths differ there (GreenMail's SMTP drops the CRLF
 * that ends the last line, RFC 5321 §4.1.1.4, before storing; measured on 2.1.13), and they
 * carry no content.
 */
export class BodyDigest {
  private readonly hash = createHash('sha256');
  private head = Buffer.alloc(0);
  private inBody = false;
  /** CR/LF bytes at the end of the body seen so far: hashed only once more content follows. */
  private pending = Buffer.alloc(0);

  /** Feeds the next chunk of the raw message, in order. */
  add(chunk: Uint8Array): void {
    if (this.inBody) {
      this.hashBody(chunk);
      return;
    }
    this.head = Buffer.concat([this.head, chunk]);
    const end = headerEnd(this.head);
    if (end >= 0) this.enterBody(end);
    else if (this.head.length > HEADER_SCAN_LIMIT) this.enterBody(0); // no header block seen: hash it all
  }

  /** Hex sha256 of the body without its trailing line breaks (of everything when no blank line ended a header block). */
  digest(): string {
    if (!this.inBody) this.enterBody(0);
    return this.hash.digest('hex');
  }

  private enterBody(offset: number): void {
    this.inBody = true;
    const rest = this.head.subarray(offset);
    this.head = Buffer.alloc(0);
    this.hashBody(rest);
  }

  /** Hashes `bytes`, holding back a run of CR/LF at its end until something else follows. */
  private hashBody(bytes: Uint8Array): void {
    let end = bytes.length;
    while (end > 0 && (bytes[end - 1] === 0x0d || bytes[end - 1] === 0x0a)) end -= 1;
    if (end > 0) {
      this.hash.update(this.pending);
      this.hash.update(bytes.subarray(0, end));
      this.pending = Buffer.alloc(0);
    }
    this.pending = Buffer.concat([this.pending, bytes.subarray(end)]);
  }
}

/** Offset just past the blank line that ends the header block, or -1. */
function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  if (crlf >= 0) return crlf + 4;
  const lf = raw.indexOf('\n\n');
  return lf >= 0 ? lf + 2 : -1;
}

/** The record key: neither part alone identifies a mail. Empty Message-ID: no key, no dedupe. */
export function mailFingerprint(messageId: string, bodySha256: string): string | undefined {
  const id = messageId.trim();
  if (!id) return undefined;
  return createHash('sha256').update(`${id}\0${bodySha256}`).digest('hex');
}
