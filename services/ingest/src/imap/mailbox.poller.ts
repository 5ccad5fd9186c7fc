import type { ImapFlow } from 'imapflow';
import type { MailboxCheckpointRepository } from '../data/mailbox-checkpoint.repository';
import type { MailboxLeaseRepository } from '../data/mailbox-lease.repository';
import type { AcceptedMail } from '../smtp/smtp.listener';
import { classifyImapError, IMAP_ERROR_CODES, imapError } from './imap.errors';
import { drainMailbox } from './mailbox.drain';
// Mailbox admin: a secret given by reference is read at each connect (a rotated Secret is picked up).
import { resolveMailboxAuth } from '../secrets/mailbox-secret';
import { type MailboxAuth, type MailboxDefinition, type MailboxState, type MailboxStatus, publicMailbox } from './mailbox.types';

export interface PollerTiming {
  /** Scan even without an `exists` event: servers without IDLE, and missed notifications. */
  pollIntervalMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  /** IDLE (RFC 2177) when the server offers it; false: scan at pollIntervalMs only. */
  idle?: boolean;
}

/** Only the holder works the mailbox (issue 12 point 4): several ingest replicas, one reader. */
export interface PollerLease {
  repo: Pick<MailboxLeaseRepository, 'acquire' | 'release'>;
  /** This replica (host name + process id + random, so a restarted process is a new owner). */
  owner: string;
  /** A holder that stops renewing loses the mailbox after this long; renewed every third. */
  ttlMs: number;
}

export interface PollerDeps extends PollerTiming {
  def: MailboxDefinition;
  checkpoints: Pick<MailboxCheckpointRepository, 'read' | 'reset' | 'advance' | 'saveStatus'>;
  accept: (mail: AcceptedMail) => Promise<unknown>;
  maxMessageBytes: number;
  lease?: PollerLease;
  log: { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void };
  now?: () => Date;
  /** Called on every status change (metrics). */
  onStatus?: (status: MailboxStatus) => void;
  /** Test hook, passed to each drain (DrainDeps.beforeMarking). */
  beforeMarking?: (uids: number[]) => Promise<void>;
}

/**
 * imapflow is loaded with the first mailbox session, not with ingest: ingest with a database
 * but no mailbox (the usual SMTP-only set-up) would carry ~13 MiB of resident memory for it
 * (issue 14: each service within 150 MiB).
 */
let imapFlow: Promise<typeof ImapFlow> | undefined;
function loadImapFlow(): Promise<typeof ImapFlow> {
  imapFlow ??= import('./imapflow.client').then((m) => m.ImapFlow);
  return imapFlow;
}

/**
 * imapflow starts IDLE after this long without a command (its default, 15 s, would leave a new
 * mail unseen for that long after each scan). Our drains send their commands back to back, so
 * one second does not interrupt them.
 */
const IDLE_AFTER_MS = 1000;

/** Exponential, capped, with jitter in the upper half so many mailboxes do not retry in step. */
export function retryDelayMs(failures: number, minMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * Works one mailbox: connect, drain what is above the checkpoint, then wait for an `exists`
 * event (imapflow IDLEs by itself when nothing runs, RFC 2177) or the poll interval, and drain
 * again. Any failure closes the connection and retries after a bounded backoff; it never
 * throws out of the poller, so one bad mailbox cannot take ingest or the others down.
 */
export class MailboxPoller {
  private stopping = false;
  private client: ImapFlow | undefined;
  private running: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private pending = false;
  private failures = 0;
  private leaseLost = false;
  /**
   * Whether this replica works the mailbox (holds its lease, or needs none). Only that replica
   * writes the stored status: there is one status document per mailbox, and a standby replica
   * writing it would hide the holder's (`mailbox status` would say standby while mail flows).
   */
  private holding: boolean;
  private renewTimer: NodeJS.Timeout | undefined;
  /** Status writes run one after another, so the stored status is the latest one. */
  private saving: Promise<void> = Promise.resolve();
  private readonly current: MailboxStatus;
  private readonly now: () => Date;

  constructor(private readonly deps: PollerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.current = { mailboxId: deps.def.id, state: 'connecting', connected: false, backlog: 0, processed: 0, tooLarge: 0 };
    this.holding = deps.lease === undefined;
  }

  start(): void {
    this.running ??= this.loop();
  }

  status(): MailboxStatus {
    return { ...this.current };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    const client = this.client;
    if (client?.usable) await client.logout().catch(() => client.close());
    else client?.close();
    await this.running;
    const { lease } = this.deps;
    // "stopped" is stored before the lease goes, so it never lands over the next holder's status.
    this.update({ state: 'stopped', connected: false });
    await this.saving;
    this.holding = lease === undefined;
    if (lease) await lease.repo.release(this.deps.def.id, lease.owner).catch(() => undefined);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!(await this.holdLease())) {
          await this.pause(this.renewEveryMs());
          continue;
        }
        this.leaseLost = false;
        this.renewTimer = setInterval(() => void this.renewLease(), this.renewEveryMs());
        await this.session();
      } catch (err) {
        if (this.stopping) break;
        if (this.leaseLost) continue; // another replica has it now: not a failure of the mailbox
        this.failures += 1;
        this.fail(err);
        await this.pause(retryDelayMs(this.failures, this.deps.retryMinMs, this.deps.retryMaxMs));
      } finally {
        clearInterval(this.renewTimer);
      }
    }
  }

  /** True when we hold (or need no) lease; otherwise shows 'standby'. A database error is a failure. */
  private async holdLease(): Promise<boolean> {
    const { lease } = this.deps;
    if (!lease) return true;
    const held = await lease.repo.acquire(this.deps.def.id, lease.owner, lease.ttlMs, this.now());
    this.holding = held;
    if (!held && this.current.state !== 'standby') this.update({ state: 'standby', connected: false, backlog: 0 });
    return held;
  }

  /** A renewal that fails or finds the lease taken ends the session: two readers must not overlap for long. */
  private async renewLease(): Promise<void> {
    const held = await this.holdLease().catch(() => false);
    if (held || this.stopping) return;
    this.leaseLost = true;
    this.deps.log.warn({ mailbox: this.deps.def.id }, 'mailbox lease lost: closing the connection');
    this.client?.close();
    this.wake();
  }

  private renewEveryMs(): number {
    return Math.max(100, Math.floor((this.deps.lease?.ttlMs ?? 30_000) / 3));
  }

  private async session(): Promise<void> {
    this.update({ state: 'connecting', connected: false });
    const client = await this.newClient(await resolveMailboxAuth(this.deps.def.auth));
    this.client = client;
    try {
      // stop() may have come while the client was made (it awaits the secret and imapflow's loading).
      if (this.stopping) return;
      await client.connect();
      // A connection that worked ends the run of failures: a drop hours later starts at the short delay.
      this.failures = 0;
      this.update({ state: 'connected', connected: true, lastSeenAt: this.now() });
      // Each session starts by marking what a crash left unmarked (drainMailbox's markLeftovers);
      // later drains look again only while a bounded pass left some.
      let markLeftovers = true;
      while (!this.stopping && !this.leaseLost) {
        this.pending = false;
        ({ leftoversRemain: markLeftovers } = await drainMailbox(client, {
          ...this.deps, now: this.now, stopped: () => this.stopping, markLeftovers,
          progress: (backlog, event) => this.progressed(backlog, event),
          tooLarge: (uid, size) => this.passedOver(uid, size),
        }));
        this.update({ lastSeenAt: this.now() });
        if (!this.pending) await this.pause(this.deps.pollIntervalMs);
        if (!client.usable && !this.stopping && !this.leaseLost) throw imapError(IMAP_ERROR_CODES.connectionFailed, 'the server closed the connection');
      }
    } finally {
      client.close();
    }
  }

  private async newClient(login: MailboxAuth): Promise<ImapFlow> {
    const { def } = this.deps;
    const ImapFlowClient = await loadImapFlow();
    const auth = 'accessToken' in login ? { user: login.user, accessToken: login.accessToken } : { user: login.user, pass: login.password };
    const client = new ImapFlowClient({ host: def.host, port: def.port, secure: def.tls, auth, logger: false, connectionTimeout: 30_000, autoIdleDelay: IDLE_AFTER_MS,
      disableAutoIdle: this.deps.idle === false,
    });
    // Without a listener an 'error' event would be thrown from the socket's handler.
    client.on('error', (err: unknown) => this.deps.log.warn({ mailbox: def.id, code: classifyImapError(err).code }, 'mailbox connection error'));
    client.on('exists', () => {
      this.update({ lastSeenAt: this.now() });
      this.pending = true;
      this.wake();
    });
    client.on('close', () => this.wake());
    return client;
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
    });
  }

  private wake(): void {
    this.wakeUp?.();
  }

  private progressed(backlog: number, event: 'scanned' | 'taken' | 'passed'): void {
    this.current.backlog = backlog;
    if (event === 'taken') this.current.processed += 1;
    this.current.lastSeenAt = this.now();
    if (event === 'scanned') this.current.lastScanAt = this.current.lastSeenAt;
    if (event === 'scanned' || backlog === 0) this.update({});
  }

  private passedOver(uid: number, size: number): void {
    const at = this.now();
    this.update({
      tooLarge: this.current.tooLarge + 1, lastTooLarge: { uid, size, at },
      lastError: { code: IMAP_ERROR_CODES.messageTooLarge, message: `UID ${uid} is ${size} bytes, over MAX_MESSAGE_BYTES (${this.deps.maxMessageBytes}): flagged, not taken`, at },
    });
  }

  private fail(err: unknown): void {
    const appError = classifyImapError(err);
    this.deps.log.warn({ mailbox: publicMailbox(this.deps.def), code: appError.code, message: appError.message }, 'mailbox failed; retrying');
    this.update({ state: 'retrying', connected: false, lastError: { code: appError.code, message: appError.message, at: this.now() } });
  }

  private update(change: Partial<MailboxStatus> & { state?: MailboxState }): void {
    Object.assign(this.current, change);
    const snapshot = this.status();
    this.deps.onStatus?.(snapshot);
    if (!this.holding) return;
    this.saving = this.saving
      .then(() => this.deps.checkpoints.saveStatus(snapshot))
      .catch((err: unknown) => this.deps.log.warn({ mailbox: this.deps.def.id, err }, 'could not record mailbox status'));
  }
}
