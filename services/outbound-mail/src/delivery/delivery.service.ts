// Delivers one (command, recipient): claim → render → hand to the relay → record → announce.
// Every step is guarded so that the same command delivered twice, two processes polling the
// same due record, or a process dying anywhere in between sends the mail once in the normal
// case, and at worst resends the *same* mail (same Message-ID, derived from the business key)
// when a process dies after the relay's 250 and before "sent" is recorded (docs/outbound.md).
import { eventsV1 } from '@inviteflow/proto-gen';
import { isAppError } from '@inviteflow/runtime';
import { commandBytes, deliveryId, DeliveryDoc, DeliveryRepository, toBinary } from '../data/delivery.repository';
import type { RenderedMail, RenderOptions, RenderOutboundMail } from '../render/render.types';
import { decideAfterAttempt, type AttemptOutcome } from './delivery.decide';
import { deliveryEvent } from './delivery.events';
import { DELIVERY_LOG_CODES } from './delivery.errors';
import type { DeferPolicy } from './defer.table';
import { classifySmtpFailure } from './smtp-failure.classify';
import type { MailTransport } from './smtp.transport';

export interface DeliveryLog {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
}

export interface DeliveryDeps {
  repo: DeliveryRepository;
  render: RenderOutboundMail;
  renderOptions: RenderOptions;
  transport: MailTransport;
  /** Publishes with msgID and waits for the stream's ack (throws when it is not had). */
  publish: (subject: string, payload: Uint8Array, msgId: string) => Promise<void>;
  defer: DeferPolicy;
  claimMs: number;
  now: () => Date;
  log: DeliveryLog;
}

export type AttemptResult = 'sent' | 'deferred' | 'failed' | 'not-due' | 'claimed-elsewhere' | 'missing';

export class DeliveryService {
  constructor(private readonly deps: DeliveryDeps) {}

  /**
   * One queued delivery per recipient; a redelivered command finds them (insert-if-absent).
   * Hands back the new document when it was inserted (the caller attempts it without reading it
   * again), else the id of the one that was there.
   */
  async enqueue(cmd: eventsV1.OutboundRequested, bytes: Uint8Array): Promise<(string | DeliveryDoc)[]> {
    const now = this.deps.now();
    const out: (string | DeliveryDoc)[] = [];
    for (const recipient of cmd.recipients) {
      const doc: DeliveryDoc = {
        _id: deliveryId(cmd.requestId, recipient), requestId: cmd.requestId, recipient, uid: cmd.uid, method: cmd.method, sequence: cmd.sequence,
        recurrenceId: cmd.recurrenceId, state: 'queued', version: 0, attempts: 0, nextAttemptAt: now, command: toBinary(bytes), createdAt: now, updatedAt: now,
        eventPublished: false,
      };
      const inserted = await this.deps.repo.insertIfAbsent(doc);
      if (!inserted) this.deps.log.info({ deliveryId: doc._id }, 'delivery already recorded (redelivered command)');
      out.push(inserted ? doc : doc._id);
    }
    return out;
  }

  /** Attempts the delivery if it is due, and announces it if it is finished and not yet announced. */
  async attempt(idOrDoc: string | DeliveryDoc): Promise<AttemptResult> {
    const doc = typeof idOrDoc === 'string' ? await this.deps.repo.get(idOrDoc) : idOrDoc;
    if (!doc) return 'missing';
    const now = this.deps.now();
    if (doc.state === 'sent' || doc.state === 'failed') {
      if (!doc.eventPublished && this.announcementOverdue(doc, now)) await this.announce(doc);
      return 'not-due';
    }
    if (doc.nextAttemptAt.getTime() > now.getTime()) return 'not-due';
    const claimed = await this.claim(doc, now);
    if (!claimed) return 'claimed-elsewhere';
    const outcome = await this.send(claimed);
    return this.record(claimed, outcome);
  }

  /** Publishes the finished delivery's event, then marks it published (guarded by version). */
  async announce(doc: DeliveryDoc): Promise<void> {
    const event = deliveryEvent(doc);
    if (!event) return;
    await this.deps.publish(event.subject, event.payload, event.msgId);
    await this.deps.repo.transition(doc._id, doc.version, { eventPublished: true });
  }

  /**
   * A finished delivery whose event is still unpublished after a claim's length was left so by a
   * failed publish or a dead process; a fresher one is most likely being announced right now.
   * Announcing twice is harmless (the msgID drops the second within the stream's window), only noisy.
   */
  announcementOverdue(doc: DeliveryDoc, now: Date): boolean {
    return now.getTime() - doc.updatedAt.getTime() >= this.deps.claimMs;
  }

  private async claim(doc: DeliveryDoc, now: Date): Promise<DeliveryDoc | undefined> {
    const set = { state: 'sending' as const, attempts: doc.attempts + 1, nextAttemptAt: new Date(now.getTime() + this.deps.claimMs), updatedAt: now };
    const outcome = await this.deps.repo.transition(doc._id, doc.version, set);
    return outcome === 'updated' ? { ...doc, ...set, version: doc.version + 1 } : undefined;
  }

  private async send(d: DeliveryDoc): Promise<AttemptOutcome> {
    let mail: RenderedMail;
    try {
      const cmd = eventsV1.OutboundRequested.decode(commandBytes(d));
      mail = await this.deps.render(cmd, d.recipient, this.deps.renderOptions);
    } catch (err) {
      // Rendering is pure: the same command fails the same way every time, so it is not retried.
      return { kind: 'render-failure', reason: isAppError(err) ? `${err.code}: ${err.message}` : String((err as Error).message ?? err) };
    }
    try {
      const accepted = await this.deps.transport.send({ envelope: mail.envelope, raw: mail.raw });
      return { kind: 'sent', messageId: mail.messageId, relayResponse: accepted.response };
    } catch (err) {
      return { kind: 'smtp-failure', messageId: mail.messageId, failure: classifySmtpFailure(err) };
    }
  }

  private async record(claimed: DeliveryDoc, outcome: AttemptOutcome): Promise<AttemptResult> {
    const now = this.deps.now();
    const set = decideAfterAttempt(claimed, outcome, this.deps.defer, now);
    const saved = await this.deps.repo.transition(claimed._id, claimed.version, set);
    const after: DeliveryDoc = { ...claimed, ...set, version: claimed.version + 1 };
    this.deps.log.info({
      deliveryId: claimed._id, state: after.state, attempts: after.attempts, messageId: after.messageId, relayResponse: after.relayResponse,
      lastError: after.lastError, failureCode: after.failureCode, nextAttemptAt: after.state === 'deferred' ? after.nextAttemptAt : undefined,
    }, `delivery ${after.state}`);
    if (saved === 'conflict') {
      // Our claim lapsed (DELIVERY_CLAIM_MS) and another process took the delivery over: its
      // record stands; the mail it sends is the same one (same Message-ID).
      this.deps.log.warn({ deliveryId: claimed._id, code: DELIVERY_LOG_CODES.claimLost }, 'delivery claim lapsed before the outcome was recorded');
      return 'claimed-elsewhere';
    }
    if (after.state === 'sent' || after.state === 'failed') await this.announce(after);
    return after.state === 'sending' || after.state === 'queued' ? 'not-due' : after.state;
  }
}
