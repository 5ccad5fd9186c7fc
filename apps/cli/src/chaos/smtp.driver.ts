import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { AppError } from '@inviteflow/runtime';
import { CLI_ERROR_CODES } from '../cli-errors';
import type { ChaosInvitation } from './chaos.mail';

/** What became of one invitation: accepted (250) after some attempts, or given up on. */
export interface SendOutcome {
  readonly uid: string;
  readonly accepted: boolean;
  /** When the 250 came (ms since the epoch). */
  readonly acceptedAt?: number;
  readonly attempts: number;
  /** Transient refusals (4xx, RFC 5321 §4.2.1: "try again later") on the way. */
  readonly transient4xx: number;
  /** Connection failures (refused, reset) on the way: ingest was down. */
  readonly connectionErrors: number;
  readonly lastError?: string;
}

export interface DriverOptions {
  /** `host:port` of ingest's SMTP listener (the runner restarts it on the same port). */
  readonly smtp: string;
  readonly connections: number;
  /** How long one invitation is retried before it counts as not accepted. */
  readonly retryForMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Sends invitations at a fixed rate through a small pool of SMTP connections and retries each
 * one the way a sending MTA would (RFC 5321 §4.5.4.1: a 4xx or a lost connection means "later"),
 * so an invitation whose 250 never came is retried, and only a 250 counts as accepted.
 *
 * The pool is `connections` lanes of nodemailer's own SMTP client (its lib/smtp-connection),
 * each handed the finished message as bytes. Not nodemailer's transport: that composes every
 * message anew even when given `raw` (a MIME node, a Message-ID from random bytes, a stream
 * pipeline with an AbortController), which made `./dev load` itself ≈ 0.6 ms of CPU per
 * invitation, an eighth of the whole machine's at flat out (issue 14).
 */
export class SmtpDriver {
  private readonly lanes: SmtpLane[];
  private readonly idle: SmtpLane[];
  private readonly waiting: Array<(lane: SmtpLane) => void> = [];

  constructor(private readonly opts: DriverOptions) {
    const [host, port] = opts.smtp.split(':');
    this.lanes = Array.from({ length: opts.connections }, () => new SmtpLane(host!, Number(port)));
    this.idle = [...this.lanes];
  }

  /** Starts one send every 1/rate s; resolves when every invitation is accepted or given up on. */
  async sendAtRate(mails: readonly ChaosInvitation[], perSecond: number): Promise<SendOutcome[]> {
    const started = Date.now();
    const sends: Promise<SendOutcome>[] = [];
    for (let i = 0; i < mails.length; i++) {
      const due = started + (i * 1000) / perSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      sends.push(this.sendOne(mails[i]!));
    }
    return Promise.all(sends);
  }

  async sendOne(m: ChaosInvitation): Promise<SendOutcome> {
    const deadline = Date.now() + this.opts.retryForMs;
    let attempts = 0, transient4xx = 0, connectionErrors = 0, lastError: string | undefined;
    while (Date.now() < deadline) {
      attempts++;
      const lane = await this.acquire();
      try {
        await lane.send({ from: m.from, to: [m.to] }, m.raw);
        return { uid: m.uid, accepted: true, acceptedAt: Date.now(), attempts, transient4xx, connectionErrors };
      } catch (err) {
        const e = err as { responseCode?: number; message?: string };
        lastError = e.message;
        if (typeof e.responseCode === 'number' && e.responseCode >= 500) break;
        if (typeof e.responseCode === 'number') transient4xx++;
        else connectionErrors++;
      } finally {
        this.release(lane);
      }
      await sleep(Math.min(2000, 200 * attempts));
    }
    return { uid: m.uid, accepted: false, attempts, transient4xx, connectionErrors, lastError };
  }

  close(): void {
    for (const lane of this.lanes) lane.close();
  }

  private acquire(): Promise<SmtpLane> {
    const lane = this.idle.pop();
    return lane ? Promise.resolve(lane) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(lane: SmtpLane): void {
    const next = this.waiting.shift();
    if (next) next(lane);
    else this.idle.push(lane);
  }
}

/** An open SMTP connection and a promise that rejects once it errs or ends. */
interface LiveConnection {
  readonly connection: SMTPConnection;
  readonly lost: Promise<never>;
}

/**
 * One SMTP connection, opened when first needed and again after it was lost; used by one send
 * at a time. Every step races the connection's loss: nodemailer reports a failed connect only as
 * an 'error' event, and a connection closed during RSET never calls back.
 */
class SmtpLane {
  private live?: LiveConnection;

  constructor(private readonly host: string, private readonly port: number) {}

  async send(envelope: SMTPConnection.Envelope, raw: Buffer): Promise<void> {
    const live = this.live ?? (await this.open());
    try {
      await step(live, (done) => live.connection.send(envelope, raw, (err) => done(err)));
    } catch (err) {
      // A refusal of this message (MAIL, RCPT or DATA answered 4xx/5xx) leaves the session
      // usable after RSET (RFC 5321 §4.1.1.5); 421 or anything else ends the connection.
      const e = err as SMTPConnection.SMTPError;
      const refused = (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode !== 421;
      if (refused) await step(live, (done) => live.connection.reset(done)).catch(() => this.drop(live));
      else this.drop(live);
      throw err;
    }
  }

  /** Ends the session politely (QUIT, RFC 5321 §4.1.1.10). */
  close(): void {
    const live = this.live;
    this.live = undefined;
    live?.connection.quit();
  }

  private async open(): Promise<LiveConnection> {
    const connection = new SMTPConnection({
      host: this.host, port: this.port, secure: false, ignoreTLS: true,
      connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 15_000,
    });
    const lost = new Promise<never>((_, reject) => {
      // nodemailer emits 'error' and then 'end' (from close()) before it calls back the step
      // that failed, with the same error: losing waits a turn, so the step's own error (a 421
      // with its reply code) is what the race reports. The listener also keeps an 'error'
      // event from being thrown.
      let lastError: Error | undefined;
      connection.on('error', (err) => { lastError = err; });
      connection.on('end', () => setImmediate(() => reject(lastError ?? new AppError({
        code: CLI_ERROR_CODES.unavailable, retryable: true, message: `SMTP connection to ${this.host}:${this.port} closed`,
      }))));
    });
    const live = { connection, lost };
    lost.catch(() => this.drop(live));
    await step(live, (done) => connection.connect(done));
    this.live = live;
    return live;
  }

  /** Closes the connection; if it was the lane's, the next send opens another. */
  private drop(live: LiveConnection): void {
    if (this.live === live) this.live = undefined;
    live.connection.close();
  }
}

/** One callback-style SMTP step, failing as soon as the connection is lost. */
function step(live: LiveConnection, run: (done: (err?: Error | null) => void) => void): Promise<void> {
  return Promise.race([live.lost, new Promise<void>((resolve, reject) => run((err) => (err ? reject(err) : resolve())))]);
}
