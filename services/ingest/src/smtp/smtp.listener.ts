import { randomUUID } from 'node:crypto';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { acceptsRecipient } from '../domain/recipient.policy';
import { readMessageId } from '../domain/message-id';

export interface AcceptedMail {
  mailId: string;
  raw: Buffer;
  envelopeFrom: string;
  envelopeTo: string[];
  messageId: string;
  receivedAt: Date;
}

export interface SmtpListenerOptions {
  host: string;
  port: number;
  hostname: string;
  domains: readonly string[];
  maxMessageBytes: number;
  /** Must make the bytes durable and publish mail.received before resolving. */
  accept: (mail: AcceptedMail) => Promise<void>;
  log: { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void };
}

export interface RunningSmtpListener {
  port: number;
  /** Stops accepting connections and waits for open sessions, up to the bound. */
  close(timeoutMs: number): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The SMTP front door. The 250 reply to DATA is sent only after `accept` resolved, i.e. after
 * the raw bytes are durable (RFC 5321 §6.1: once we say 250 the message is our responsibility).
 * Failures to store answer 451, a transient error, so the sender retries instead of bouncing.
 */
export async function startSmtpListener(opts: SmtpListenerOptions): Promise<RunningSmtpListener> {
  const server = new SMTPServer({
    name: opts.hostname,
    banner: 'inviteflow ingest',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: opts.maxMessageBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (acceptsRecipient(address.address, opts.domains)) return callback();
      opts.log.info({ rcpt: address.address }, 'recipient refused: not one of our domains');
      callback(smtpError(550, `5.7.1 <${address.address}>: relay not permitted, not a domain served here`));
    },
    onData(stream, session, callback) {
      readAll(stream, opts.maxMessageBytes)
        .then((raw) => acceptData(raw, session, opts))
        .then((mailId) => callback(null, `2.0.0 queued as ${mailId}`))
        .catch((err: Error & { responseCode?: number }) => {
          if (!err.responseCode) opts.log.error({ err }, 'could not store mail; answering 451');
          callback(err.responseCode ? err : smtpError(451, '4.3.0 temporarily unable to store the message, try again later'));
        });
    },
  });
  server.on('error', (err) => opts.log.warn({ err }, 'smtp session error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    port,
    close: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

async function acceptData(raw: Buffer, session: SMTPServerSession, opts: SmtpListenerOptions): Promise<string> {
  const mail: AcceptedMail = {
    mailId: randomUUID(),
    raw,
    envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    envelopeTo: session.envelope.rcptTo.map((r) => r.address),
    messageId: readMessageId(raw),
    receivedAt: new Date(),
  };
  await opts.accept(mail);
  opts.log.info({ mailId: mail.mailId, messageId: mail.messageId, rcpt: mail.envelopeTo, bytes: raw.length }, 'mail accepted');
  return mail.mailId;
}

function readAll(stream: SMTPServerDataStream, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('error', reject);
    stream.once('end', () => {
      if (stream.sizeExceeded) return reject(smtpError(552, `5.3.4 message exceeds the ${limit}-byte limit`));
      resolve(Buffer.concat(chunks));
    });
  });
}
