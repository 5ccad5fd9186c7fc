import { eventsV1 } from '@inviteflow/proto-gen';
import { heldId, type HeldMessage, type HeldMessageRepository } from '../data/held-message.repository';
import { meetingId } from '../data/meeting.repository';
import type { OutcomeRepository } from '../data/outcome.repository';
import type { CopyOwner } from '../domain/copy-owner';
import { copyEvents } from '../domain/copy-events';
import { applyToCopy, type CopyResult, type MeetingApplierDeps } from './meeting.applier';
import type { CopyPublisher, PublishOptions } from './meeting-events.publisher';
import { recipientOutcome } from './recipient-outcome';

export interface PipelineLogger {
  info(obj: object, msg?: string): void;
}

export interface CopyPipelineDeps extends MeetingApplierDeps {
  held: HeldMessageRepository;
  outcomes: OutcomeRepository;
  publishCopy: CopyPublisher;
  log: PipelineLogger;
}

/** The message as it arrived: its payload (kept if it must wait) and its place in the stream. */
export interface Arrival {
  payload: Uint8Array;
  seq: number;
}

/**
 * Messages about a meeting that can arrive before the REQUEST that creates the copy: an
 * attendee answers within seconds and another replica may still be applying the REQUEST.
 */
const HOLDABLE = new Set(['REPLY', 'COUNTER', 'REFRESH', 'DECLINECOUNTER']);

export type PipelineResult = CopyResult & { held: boolean };

/**
 * One message applied to one associate's copy, with what follows from it: the events, and
 * the held messages. A REPLY that finds no copy is NO_MATCHING_MEETING (issue 9) and is held;
 * the message that creates the copy applies what was held for it. Both sides write first and
 * look second (hold → re-read the copy, and apply itself if it is there now; save the copy →
 * list held), so whichever runs second sees the other and nothing is lost however two replicas
 * interleave; applying twice is harmless (DUPLICATE). Extra round trips only on those paths:
 * +2 to hold (+3 when the copy appeared meanwhile), +1 on creation.
 */
export class CopyPipeline {
  constructor(private readonly deps: CopyPipelineDeps) {}

  /**
   * `opts.defer` (the arrival path): the copy's outbox clear is handed to it, not awaited, unless
   * held messages are applied to the copy next (they must find the outbox settled).
   */
  async apply(owner: CopyOwner, invite: eventsV1.InviteParsed, arrival: Arrival, senderAddresses: string[], opts: PublishOptions = {}): Promise<PipelineResult> {
    const result = await applyToCopy(this.deps, owner, invite, senderAddresses);
    const copyId = meetingId(owner.associateId, invite.uid);
    // The copy is saved by now, so the look for held messages may start at once, on the wire
    // with the publish (one round trip less of latency); they are applied after the publish, so
    // the copy's own events still come first.
    const created = copyEvents(result.before, result.meeting, result.decisions).some((e) => e.kind === 'scheduled');
    const heldNow = created ? this.deps.held.listFor(copyId) : undefined;
    // Not awaited until after the publish: keep a failed look-up from being an unhandled rejection meanwhile.
    heldNow?.catch(() => undefined);
    // Held here until handed on; a failure meanwhile (the held look-up) must not leave it an unhandled rejection.
    let clearing = undefined as Promise<void> | undefined;
    const keep = (p: Promise<void>): void => {
      p.catch(() => undefined);
      clearing = p;
    };
    await this.deps.publishCopy(invite.mailId, invite.method, result, opts.defer ? { defer: keep } : {});
    if (mustHold(result, invite.method)) {
      await clearing;
      const held = { copyId, owner, mailId: invite.mailId, method: invite.method, arrival: arrival.seq, senderAddresses, payload: arrival.payload, heldAt: this.deps.now() };
      await this.deps.held.hold(held);
      if (!(await this.deps.meetings.find(owner.associateId, invite.uid))) return { ...result, held: true };
      // The copy appeared meanwhile: apply this message now (the copy's creator may release
      // it too; the second apply is a DUPLICATE).
      const again = await applyToCopy(this.deps, owner, invite, senderAddresses);
      await this.deps.publishCopy(invite.mailId, invite.method, again);
      await this.deps.held.remove(heldId(copyId, invite.mailId));
      return { ...again, held: false };
    }
    const held = heldNow ? await heldNow : [];
    if (held.length > 0) {
      await clearing;
      clearing = undefined;
      await this.release(copyId, held);
    }
    if (clearing) opts.defer!(clearing);
    return { ...result, held: false };
  }

  /**
   * The periodic re-check: releases what is held for copies that exist by now — e.g. when the
   * creating REQUEST's release failed and its redelivery, a DUPLICATE, created nothing to
   * trigger another. Returns how many messages were applied.
   */
  async sweepHeld(): Promise<number> {
    let applied = 0;
    for (const copyId of await this.deps.held.copyIds()) {
      if ((await this.deps.meetings.findByIds([copyId])).length > 0) applied += await this.release(copyId, await this.deps.held.listFor(copyId));
    }
    return applied;
  }

  heldCount(): Promise<number> {
    return this.deps.held.count();
  }

  /** Applies the messages held for a copy that now exists, in arrival order, and records each. */
  private async release(copyId: string, held: HeldMessage[]): Promise<number> {
    let applied = 0;
    for (const h of held) {
      const invite = eventsV1.InviteParsed.decode(h.payload);
      const result = await applyToCopy(this.deps, h.owner, invite, h.senderAddresses);
      if (mustHold(result, invite.method)) continue;
      await this.deps.publishCopy(invite.mailId, invite.method, result);
      const entry = { ...recipientOutcome(result), appliedLater: 'HELD' as const };
      const note = `applied to ${copyId} once the meeting arrived (held ${h.heldAt.toISOString()}): ${entry.outcome} ${result.decisions.map((d) => d.reason).join(', ')}`;
      await this.deps.outcomes.recordAppliedLater({ mailId: h.mailId, uid: invite.uid, method: h.method }, entry, note, this.deps.now());
      await this.deps.held.remove(h._id);
      this.deps.log.info({ copyId, mailId: h.mailId, outcome: entry.outcome }, 'held message applied');
      applied += 1;
    }
    return applied;
  }
}

function mustHold(r: CopyResult, method: string): boolean {
  return r.meeting === undefined && HOLDABLE.has(method.toUpperCase()) && r.decisions.length > 0 && r.decisions.every((d) => d.code === 'NO_MATCHING_MEETING');
}
