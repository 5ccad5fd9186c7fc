import { createHash } from 'node:crypto';
import { HEADER_SCAN_LIMIT } from './message-id';

/**
 * What makes two deliveries "the same mail" (issue 12, point 3): the Message-ID plus a hash of
 * the body, i.e. the bytes after the header block (RFC 5322 §2.1). Headers are left out on
 * purpose: each hop adds trace fields (Received, Return-Path, Delivered-To; RFC 5321 §4.4), so
 * the SMTP copy and the mailbox copy of one mail differ there and agree on the body. A reused
 * or forged Message-ID with a different body is a different mail.
 */
export class BodyDigest {
  private readonly hash = createHash('sha256');
  private head = Buffer.alloc(0);
  private inBody = false;

  /** Feeds the next chunk of the raw message, in order. */
  add(chunk: Uint8Array): void {
    if (this.inBody) {
      this.hash.update(chunk);
      return;
    }
    this.head = Buffer.concat([this.head, chunk]);
    const end = headerEnd(this.head);
    if (end >= 0) this.enterBody(end);
    else if (this.head.length > HEADER_SCAN_LIMIT) this.enterBody(0); // no header block seen: hash it all
  }

  /** Hex sha256 of the body (of everything when no blank line ended a header block). */
  digest(): string {
    if (!this.inBody) this.enterBody(0);
    return this.hash.digest('hex');
  }

  private enterBody(offset: number): void {
    this.inBody = true;
    this.hash.update(this.head.subarray(offset));
    this.head = Buffer.alloc(0);
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
