import type { SMTPServer } from 'smtp-server';
import { dataDeadline, type TransactionLimits } from '../domain/transaction.limits';
import { INGEST_ERROR_CODES, smtpRefusal, type SmtpRefusal } from './smtp.refusal';

interface Watched {
  transactionTimer?: NodeJS.Timeout;
  dataTimer?: NodeJS.Timeout;
  /** Stops the message being stored when the connection is cut mid-DATA. */
  abortData?: (reason: unknown) => void;
}

interface GuardLog {
  info(o: object, m?: string): void;
}

/**
 * Enforces TransactionLimits per connection, which smtp-server lacks: its idle timeout is reset
 * by every byte. The transaction clock runs from the connection (or from the reply to the
 * previous message) to the end of DATA; it stops while the client waits for us (storing the
 * message is our time, not the client's). Cutting off answers `421 4.4.2` and closes
 * (RFC 5321 §3.8: a server may close with 421 when it must; RFC 3463 X.4.2: bad connection).
 */
export class TransactionGuard {
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly connections: () => SMTPServer['connections'],
    private readonly limits: TransactionLimits,
    private readonly log: GuardLog,
  ) {}

  /** A connection is up, or its previous message was answered: a new transaction begins. */
  begin(sessionId: string): void {
    this.clear(sessionId);
    const refusal = () => smtpRefusal({
      code: INGEST_ERROR_CODES.transactionTimeout, responseCode: 421,
      message: `4.4.2 transaction took longer than ${this.limits.transactionTimeoutMs} ms, closing connection`,
    });
    const timer = setTimeout(() => this.cutOff(sessionId, refusal()), this.limits.transactionTimeoutMs);
    this.watched.set(sessionId, { transactionTimer: timer.unref() });
  }

  /** DATA began: from now on the client must also keep up the minimum rate. */
  dataStarted(sessionId: string, bytes: () => number, abortData: (reason: unknown) => void): void {
    const entry = this.watched.get(sessionId);
    if (!entry) return;
    entry.abortData = abortData;
    const startedAt = Date.now();
    const check = (): void => {
      const deadline = dataDeadline(startedAt, bytes(), this.limits);
      if (deadline === Number.POSITIVE_INFINITY) return;
      const left = deadline - Date.now();
      if (left > 0) {
        entry.dataTimer = setTimeout(check, left).unref();
        return;
      }
      this.cutOff(sessionId, smtpRefusal({
        code: INGEST_ERROR_CODES.dataTooSlow, responseCode: 421,
        message: `4.4.2 message data arrived slower than ${this.limits.minDataRateBps} bytes/s, closing connection`,
        details: { bytes: bytes(), elapsedMs: Date.now() - startedAt },
      }));
    };
    check();
  }

  /** The client sent its end of DATA: it now waits for us, so its clock stops. */
  dataEnded(sessionId: string): void {
    this.clear(sessionId);
  }

  /** The message was answered: the next transaction's clock starts, unless the connection is gone. */
  replied(sessionId: string): void {
    if (this.watched.has(sessionId)) this.begin(sessionId);
  }

  /** The connection closed (or was cut off). */
  end(sessionId: string): void {
    this.clear(sessionId);
    this.watched.delete(sessionId);
  }

  private clear(sessionId: string): void {
    const entry = this.watched.get(sessionId);
    if (!entry) return;
    clearTimeout(entry.transactionTimer);
    clearTimeout(entry.dataTimer);
    entry.abortData = undefined;
  }

  private cutOff(sessionId: string, refusal: SmtpRefusal): void {
    const abortData = this.watched.get(sessionId)?.abortData;
    this.end(sessionId);
    abortData?.(refusal);
    this.log.info({ code: refusal.code, session: sessionId, ...refusal.details }, refusal.message);
    // smtp-server closes the connection after sending any 421 (its send() does).
    for (const connection of this.connections()) {
      if (connection.id === sessionId) connection.send(421, refusal.message);
    }
  }
}
