import { SUBJECTS } from '@inviteflow/contracts';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { PendingEntry, PendingOutboundRepository } from '../data/pending-outbound.repository';
import type { OutcomeRepository } from '../data/outcome.repository';
import { applyToCopy, type CopyResult, type MeetingApplierDeps } from '../handlers/meeting.applier';
import type { CopyPublisher } from '../handlers/meeting-events.publisher';
import { recipientOutcome } from '../handlers/recipient-outcome';

/** Publishes one payload under its msg id (JetStream drops a repeat within the stream's duplicate window). */
export type PublishFn = (subject: string, payload: Uint8Array, msgId: string) => Promise<void>;

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
 * Hands on the commands a CRM change left on its copy, in order, then removes them from it. Each
 * step is idempotent — a mail keeps its msg id (JetStream's duplicate window, and outbound-mail
 * records a request id once), a copy command applied twice is a DUPLICATE — so a crash anywhere
 * here only means the periodic re-check (`sweep`) does the rest with the same ids.
 */
export class OutboundFlusher {
  constructor(private readonly deps: FlusherDeps) {}

  async flush(copyId: string, viaSweep = false): Promise<FlushResult> {
    const out: FlushResult = { done: [], copies: [], failed: false };
    try {
      for (const entry of await this.deps.pendingRepo.list(copyId)) {
        await this.handOn(entry, out, viaSweep);
        out.done.push(entry.key);
      }
    } catch (err) {
      out.failed = true;
      this.deps.log.warn({ err, copyId, code: 'OUTBOUND_FLUSH_FAILED' }, 'CRM commands not all handed on; the periodic re-check retries');
    }
    await this.deps.pendingRepo.clear(copyId, out.done);
    return out;
  }

  /** The periodic re-check: copies that still hold commands (a crash, NATS down). Returns how many were handed on. */
  async sweep(): Promise<number> {
    let handed = 0;
    for (const copyId of await this.deps.pendingRepo.copiesWithPending()) handed += (await this.flush(copyId, true)).done.length;
    return handed;
  }

  private async handOn(entry: PendingEntry, out: FlushResult, viaSweep: boolean): Promise<void> {
    const bytes = Buffer.from(entry.payload, 'base64');
    if (entry.kind === 'mail') {
      await this.deps.publish(SUBJECTS.mailOutboundRequestedV1, bytes, entry.key);
      return;
    }
    const invite = eventsV1.InviteParsed.decode(bytes);
    const result = await applyToCopy(this.deps, entry.owner!, invite, entry.sender ?? []);
    await this.deps.publishCopy(invite.mailId, invite.method, result);
    out.copies.push(result);
    if (viaSweep) {
      const note = `applied to ${result.meeting?.id ?? entry.owner!.associateId} by the periodic re-check: ${recipientOutcome(result).outcome}`;
      await this.deps.outcomes.recordAppliedLater({ mailId: entry.auditMailId, uid: invite.uid, method: entry.method }, recipientOutcome(result), note, this.deps.now());
    }
  }
}
