import { randomUUID } from 'node:crypto';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerResolver, type SMTPServerSession } from 'smtp-server';
import type { eventsV1 } from '@inviteflow/proto-gen';
import { acceptsRecipient } from '../domain/recipient.policy';
import { smtpAuthInputs } from './auth-inputs';
import { securityOptions, type SmtpSecurity } from './smtp.security-options';
import { reverseLookupEnabled, type ReverseDnsMode } from '../domain/reverse-dns.policy';
import type { TransactionLimits } from '../domain/transaction.limits';
import { coalesceWrites } from './reply.coalescer';
import { meterBody, type MeteredBody } from './message-body.meter';
import { INGEST_ERROR_CODES, isSmtpRefusal, messageTooLarge, smtpRefusal, type SmtpRefusal } from './smtp.refusal';
import { TransactionGuard } from './transaction.guard';

/** One message while it is being received: the body streams, the rest is known up front. */
export interface AcceptedMail {
  /** Also the object name and the publish msgID (`mail:<mailId>`). */
  mailId: string;
  /** Ends with the client's end of DATA; errors if the message is too large or the client is cut off. */
  body: ReadableStream<Uint8Array>;
  /** Read from the header block; settled at the latest when the body has ended. */
  messageId: Promise<string>;
  envelopeFrom: string;
  envelopeTo: string[];
  receivedAt: Date;
  /**
   * What sender authentication needs from the delivery (client IP, HELO, AUTH user, TLS; for
   * mailbox intake the trusted provider ids: see mailboxAuthInputs). The parser evaluates SPF,
   * DKIM, DMARC and ARC from it (docs/security.md).
   */
  authInputs?: eventsV1.AuthInputs;
}

export interface SmtpListenerOptions extends TransactionLimits {
  host: string;
  port: number;
  hostname: string;
  domains: readonly string[];
  maxMessageBytes: number;
  reverseDns: ReverseDnsMode;
  /** Reverse look-ups go here instead of the system resolver (tests). */
  resolver?: SMTPServerResolver;
  /** Must consume `body`, make it durable and publish mail.received before resolving. */
  accept: (mail: AcceptedMail) => Promise<void>;
  /** Each refusal's reply code (4xx: "try later", 5xx: "never"), for the SMTP refusal metric. */
  onRefusal?: (responseCode: number) => void;
  log: { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void };
  /** Issue 15 pt 3: STARTTLS certificate, submission users (AUTH required), connections per address. */
  security?: SmtpSecurity;
}

export interface RunningSmtpListener {
  port: number;
  /** Stops accepting connections and waits for open sessions, up to the bound. */
  close(timeoutMs: number): Promise<void>;
}

/**
 * The SMTP front door. The 250 reply to DATA is sent only after `accept` resolved, i.e. after
 * the raw bytes are durable (RFC 5321 §6.1: once we say 250 the message is our responsibility).
 * Failures to store answer 451, a transient error, so the sender retries instead of bouncing.
 */
export async function startSmtpListener(opts: SmtpListenerOptions): Promise<RunningSmtpListener> {
  // The guard reaches the server's connections lazily: they only exist once it runs.
  const guard = new TransactionGuard(() => server.connections, opts, opts.log);
  const server = createServer(opts, guard);
  // Pipelined commands' replies in one write (reply.coalescer.ts); the raw socket, before
  // smtp-server writes its greeting to it.
  server.server.on('connection', coalesceWrites);
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

function createServer(opts: SmtpListenerOptions, guard: TransactionGuard): SMTPServer {
  const security = securityOptions(opts.security ?? {}, opts.log);
  return new SMTPServer({
    name: opts.hostname,
    banner: 'inviteflow ingest',
    ...security.options,
    size: opts.maxMessageBytes,
    disableReverseLookup: !reverseLookupEnabled(opts.reverseDns, opts.host),
    ...(opts.resolver ? { resolver: opts.resolver } : {}),
    logger: false,
    onConnect(session, callback) {
      const refused = security.admit(session);
      if (refused) {
        opts.onRefusal?.(refused.responseCode);
        return callback(refused);
      }
      guard.begin(session.id);
      callback();
    },
    onClose(session) {
      security.release(session);
      guard.end(session.id);
    },
    // Nothing to check on MAIL FROM (SPF and DMARC are the parser's, docs/security.md). Answered
    // at once: smtp-server's default defers it to setImmediate, which splits a pipelined
    // MAIL/RCPT/DATA's replies over two writes (reply.coalescer.ts).
    onMailFrom(_address, _session, callback) {
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (acceptsRecipient(address.address, opts.domains)) return callback();
      opts.log.info({ rcpt: address.address }, 'recipient refused: not one of our domains');
      opts.onRefusal?.(550);
      callback(smtpRefusal({
        code: INGEST_ERROR_CODES.recipientRefused, responseCode: 550,
        message: `5.7.1 <${address.address}>: relay not permitted, not a domain served here`,
      }));
    },
    onData(stream, session, callback) {
      receive(stream, session, opts, guard)
        .then((mailId) => callback(null, `2.0.0 queued as ${mailId}`))
        .catch((err: unknown) => {
          const reply = replyFor(err, opts.log);
          opts.onRefusal?.(reply.responseCode);
          callback(reply);
        })
        .finally(() => guard.replied(session.id));
    },
  });
}

/**
 * Streams one message to `accept` while it arrives. Whatever happens to the store, the rest of
 * DATA is read (and dropped) before the reply: the client only listens after its end-of-data
 * dot (RFC 5321 §4.1.1.4), so a 552 or 451 is answered then, never in the middle.
 */
async function receive(stream: SMTPServerDataStream, session: SMTPServerSession, opts: SmtpListenerOptions, guard: TransactionGuard): Promise<string> {
  const metered = meterBody(stream, opts.maxMessageBytes);
  guard.dataStarted(session.id, metered.bytes, metered.fail);
  void metered.ended.then(() => guard.dataEnded(session.id));
  const mail = acceptedMail(metered, session);
  const stored = await opts.accept(mail).then(() => ({ ok: true as const }), (err: unknown) => ({ ok: false as const, err }));
  if (!stored.ok) metered.fail(stored.err);
  const end = await metered.ended;
  if (end.exceeded) throw messageTooLarge(opts.maxMessageBytes);
  if (end.error) throw end.error;
  if (!stored.ok) throw stored.err;
  opts.log.info({ mailId: mail.mailId, messageId: await mail.messageId, rcpt: mail.envelopeTo, bytes: end.bytes }, 'mail accepted');
  return mail.mailId;
}

function acceptedMail(metered: MeteredBody, session: SMTPServerSession): AcceptedMail {
  return {
    mailId: randomUUID(),
    body: metered.body,
    messageId: metered.messageId,
    envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    envelopeTo: session.envelope.rcptTo.map((r) => r.address),
    receivedAt: new Date(),
    authInputs: smtpAuthInputs(session),
  };
}

function replyFor(err: unknown, log: SmtpListenerOptions['log']): SmtpRefusal {
  if (isSmtpRefusal(err)) {
    log.info({ code: err.code, responseCode: err.responseCode }, err.message);
    return err;
  }
  const code = (err as { code?: unknown }).code;
  if (code === INGEST_ERROR_CODES.clientDisconnected) log.info({ code }, 'client went away during DATA; nothing stored');
  else log.error({ err, code: INGEST_ERROR_CODES.rawMailStoreFailed }, 'could not store mail; answering 451');
  return smtpRefusal({
    code: INGEST_ERROR_CODES.rawMailStoreFailed, responseCode: 451, cause: err,
    message: '4.3.0 temporarily unable to store the message, try again later',
  });
}
