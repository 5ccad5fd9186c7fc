import { createTransport, type Transporter } from 'nodemailer';
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
 */
export class SmtpDriver {
  private readonly transport: Transporter;

  constructor(private readonly opts: DriverOptions) {
    const [host, port] = opts.smtp.split(':');
    this.transport = createTransport({
      host, port: Number(port), secure: false, ignoreTLS: true, pool: true, maxConnections: opts.connections,
      connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 15_000,
    });
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
      try {
        await this.transport.sendMail({ envelope: { from: m.from, to: [m.to] }, raw: m.raw });
        return { uid: m.uid, accepted: true, acceptedAt: Date.now(), attempts, transient4xx, connectionErrors };
      } catch (err) {
        const e = err as { responseCode?: number; message?: string };
        lastError = e.message;
        if (typeof e.responseCode === 'number' && e.responseCode >= 500) break;
        if (typeof e.responseCode === 'number') transient4xx++;
        else connectionErrors++;
        await sleep(Math.min(2000, 200 * attempts));
      }
    }
    return { uid: m.uid, accepted: false, attempts, transient4xx, connectionErrors, lastError };
  }

  close(): void {
    this.transport.close();
  }
}
