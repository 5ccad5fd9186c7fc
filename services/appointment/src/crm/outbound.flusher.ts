import { eventsV1 } from '@inviteflow/proto-gen';
import type { PendingEntry, PendingOutboundRepository } from '../data/pending-outbound.repository';
import type { OutcomeRepository } from '../data/outcome.repository';
import { applyToCopy, type CopyResult, type MeetingApplierDeps } from '../handlers/meeting.applier';
import { publishEntry, type CopyPublisher, type PublishFn } from '../handlers/meeting-events.publisher';
import { recipientOutcome } from '../handlers/recipient-outcome';

export type { PublishFn } from '../handlers/meeting-events.publisher';

/**
 * How long entries wait on a copy before the periodic re-check hands them on: the message that
 * saved them normally publishes them within milliseconds, so only leftovers (a crash, NATS down)
 * are this old; a younger entry published by both is deduped by its msg id anyway.
 */
export const OUTBOX_RECHECK_MIN_AGE_MS = 10_000;

export interface FlusherDeps extends MeetingApplierDeps {
  pendingRepo: PendingOutboundRepository;
  outcomes: OutcomeRepository;
  publish: PublishFn;
  publishCopy: CopyPublisher;
  log: { info(o: object, m?: string): void; warn(o: object, m?: string): void };
}

export interface FlushResult {
  /** Keys handed on (published, or applied to the associate's copy). */
  done: string[];
  /** What each `copy` command did to its associate's copy. */
  copies: CopyResult[];
  /** Something failed: the rest stays pending for the periodic re-check. */
  failed: boolean;
}

/**
 * Hands on what waits in a copy's outbox — the commands a CRM change left, the events and mails
 * an inbound message's publish did not get out — in order, then removes them from it. Each step
 * is idempotent — a mail or event keeps its msg id (JetStream's duplicate window, and
 * outbound-mail records a request id once), a copy command applied twice is a DUPLICATE — so a
 * crash anywhere here only means the periodic re-check (`sweep`) does the rest with the same ids.
 */
export class OutboundFlusher {
  constructor(private readonly deps: FlusherDeps) {}

  async flush(copyId: string, viaSweep = false): Promise<FlushResult> {
    const out: FlushResult = { done: [], copies: [], failed: false };
    const { version, entries } = await this.deps.pendingRepo.load(copyId);
    try {
      for (const entry of entries) {
        await this.handOn(entry, out, viaSweep);
        out.done.push(entry.key);
      }
    } catch (err) {
      out.failed = true;
      this.deps.log.warn({ err, copyId, code: 'OUTBOUND_FLUSH_FAILED' }, 'CRM commands not all handed on; the periodic re-check retries');
    }
    await this.deps.pendingRepo.clear(copyId, out.done, out.failed || version === 0 ? undefined : version);
    return out;
  }

  /**
   * The periodic re-check: copies whose outbox has waited `minAgeMs` or longer (a crash, NATS
   * down). Returns how many entries were handed on.
   */
  async sweep(minAgeMs = 0): Promise<number> {
    let handed = 0;
    const since = new Date(this.deps.now().getTime() - minAgeMs);
    for (const copyId of await this.deps.pendingRepo.copiesWithPending(since)) handed += (await this.flush(copyId, true)).done.length;
    return handed;
  }

  private async handOn(entry: PendingEntry, out: FlushResult, viaSweep: boolean): Promise<void> {
    if (await publishEntry(this.deps.publish, entry)) return;
    const invite = eventsV1.InviteParsed.decode(Buffer.from(entry.payload, 'base64'));
    const result = await applyToCopy(this.deps, entry.owner!, invite, entry.sender ?? []);
    await this.deps.publishCopy(invite.mailId, invite.method, result);
    out.copies.push(result);
    if (viaSweep) {
      const note = `applied to ${result.meeting?.id ?? entry.owner!.associateId} by the periodic re-check: ${recipientOutcome(result).outcome}`;
      await this.deps.outcomes.recordAppliedLater({ mailId: entry.auditMailId, uid: invite.uid, method: entry.method }, recipientOutcome(result), note, this.deps.now());
    }
  }
}
