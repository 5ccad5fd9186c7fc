// A raw SMTP client for ingest's tests: unlike nodemailer it can stream DATA from a generator
// (a 1 GiB message without allocating it), trickle bytes, and see a reply the server sends
// unasked (421 in the middle of DATA).
import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';

export class SmtpTestClient {
  private text = '';
  private readonly waiters: Array<() => void> = [];
  /** Every complete reply so far, multi-line replies joined with \n. */
  readonly replies: string[] = [];
  /** Resolves when the server has closed the connection (or it failed). */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.onData(chunk));
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this.waiters.splice(0).forEach((wake) => wake());
      resolve();
    }));
    socket.on('error', () => undefined);
  }

  /** Connects and waits for the 220 greeting. */
  static async connect(port: number, host = '127.0.0.1'): Promise<SmtpTestClient> {
    const socket = createConnection(port, host);
    await once(socket, 'connect');
    const client = new SmtpTestClient(socket);
    await client.nextReply();
    return client;
  }

  get isClosed(): boolean {
    return this.socket.destroyed || this.socket.readableEnded;
  }

  /** Sends one command line and returns its reply. */
  async command(line: string): Promise<string> {
    const wanted = this.replies.length + 1;
    this.socket.write(`${line}\r\n`);
    return this.replyNumber(wanted);
  }

  /** EHLO, MAIL FROM, RCPT TO and DATA; returns the reply to DATA (354). */
  async startData(from: string, to: string): Promise<string> {
    await this.command('EHLO client.test');
    await this.command(`MAIL FROM:<${from}>`);
    await this.command(`RCPT TO:<${to}>`);
    return this.command('DATA');
  }

  /**
   * Writes DATA content (already dot-stuffed, CRLF lines) with backpressure, then the
   * end-of-data dot, and returns the reply to it.
   */
  async finishData(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<string> {
    const wanted = this.replies.length + 1;
    let tail = Buffer.alloc(0);
    for await (const chunk of chunks) {
      if (this.isClosed) break;
      tail = Buffer.from(chunk.subarray(-2));
      if (!this.socket.write(chunk)) await Promise.race([once(this.socket, 'drain'), this.closed]);
    }
    // The CRLF before the dot ends the message's last line (RFC 5321 §4.1.1.4); add one only if missing.
    if (!this.isClosed) this.socket.write(tail.toString('latin1') === '\r\n' ? '.\r\n' : '\r\n.\r\n');
    return this.replyNumber(wanted);
  }

  /** Writes bytes as they are, with no reply expected. */
  write(bytes: string | Uint8Array): void {
    if (!this.isClosed) this.socket.write(bytes);
  }

  /** The next reply the server sends, asked for or not; '' if the connection closes first. */
  nextReply(): Promise<string> {
    return this.replyNumber(this.replies.length + 1);
  }

  async quit(): Promise<void> {
    if (!this.isClosed) this.socket.end('QUIT\r\n');
    await this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private async replyNumber(n: number): Promise<string> {
    while (this.replies.length < n && !this.isClosed) {
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
    return this.replies[n - 1] ?? '';
  }

  private onData(chunk: string): void {
    this.text += chunk;
    // A reply ends with a line "NNN text" (a space after the code, RFC 5321 §4.2).
    let match: RegExpExecArray | null;
    while ((match = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.exec(this.text))) {
      this.replies.push(match[0].trimEnd().replace(/\r/g, ''));
      this.text = this.text.slice(match[0].length);
    }
    this.waiters.splice(0).forEach((wake) => wake());
  }
}

/**
 * About `total` bytes of message (exactly, for totals past a few bytes of head): a small header block, then 998-character lines (RFC 5321 §4.5.3.1.6)
 * made from one reused buffer, so any size costs the test a few KiB.
 */
export function* generatedMessage(total: number, messageId = '<big@test.example>'): Generator<Uint8Array> {
  const head = Buffer.from(`Message-ID: ${messageId}\r\nSubject: generated\r\n\r\n`);
  yield head;
  const line = Buffer.concat([Buffer.alloc(998, 'x'), Buffer.from('\r\n')]);
  const block = Buffer.concat(Array.from({ length: 64 }, () => line));
  let left = total - head.length;
  while (left >= block.length) {
    left -= block.length;
    yield block;
  }
  // The last, shorter line still ends with CRLF, so the stored message is exactly these bytes.
  if (left > 0) yield Buffer.concat([Buffer.alloc(Math.max(left - 2, 0), 'y'), Buffer.from('\r\n')]);
}
