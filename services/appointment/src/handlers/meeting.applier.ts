import { applyMessage, type Decision, type ItipMessage, type Meeting } from '@inviteflow/itip';
import type { eventsV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import type { PendingEntry } from '../data/meeting.codec';
import { meetingId, type MeetingRepository } from '../data/meeting.repository';
import type { CopyOwner } from '../domain/copy-owner';
import { copyOutbox } from './meeting-events.publisher';

export interface MeetingApplierDeps {
  meetings: MeetingRepository;
  now: () => Date;
}

/** What one message did to one associate's copy. */
export interface CopyResult {
  owner: CopyOwner;
  /** The copy as it is now (saved or unchanged); undefined when none exists. */
  meeting: Meeting | undefined;
  /** The copy before this message; undefined when it created the copy (or none exists). */
  before: Meeting | undefined;
  decisions: Decision[];
  outbound: ItipMessage[];
  /** true when this message changed the stored copy. */
  saved: boolean;
  /**
   * The copy's outbox after this message: the events and commands it saved with the copy, and any
   * an earlier publish left there, with the copy version they are known at (for the exact clear).
   * Undefined when nothing waits on the copy (or the result was built outside applyToCopy).
   */
  outbox?: { copyId: string; version: number; entries: PendingEntry[] };
  /** What a message that changed nothing still asks to send (a REFRESH answered): not stored, a redelivery computes it again. */
  unstored?: PendingEntry[];
}

/** Lost races with other writers of the same copy before the message is handed back to be retried. */
export const MAX_CONFLICT_RETRIES = 8;

/**
 * The one apply path — invites as they arrive, parked ones applied later, `meeting import`:
 * load the owner's copy, let libs/itip decide, save under the version guard *with* the events
 * and commands the change produces (the copy's outbox: a crash or a failed publish after the
 * save loses none of them; the publisher hands them on and clears them). A lost race re-reads
 * and decides again on the newer copy, so two appointment processes applying a REQUEST and ten
 * REPLYs for one meeting at once lose none of them. Idempotent: the same message again is
 * DUPLICATE (or STALE) and changes nothing, but returns what still waits in the outbox. Round
 * trips: 1 read + 1 write when it changes the copy (+2 per lost race).
 */
export async function applyToCopy(
  deps: MeetingApplierDeps, owner: CopyOwner, invite: eventsV1.InviteParsed, senderAddresses: string[],
): Promise<CopyResult> {
  const id = meetingId(owner.associateId, invite.uid);
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const loaded = await deps.meetings.load(owner.associateId, invite.uid);
    const stored = loaded?.meeting;
    const left = loaded?.pending ?? [];
    const now = deps.now();
    const ctx = {
      now: now.toISOString(), newMeetingId: id, senderAddresses,
      owner: { associateId: owner.associateId, addresses: owner.addresses, timeZone: owner.timeZone },
    };
    const result = applyMessage(stored, invite, ctx);
    const base = { owner, before: stored, decisions: result.decisions, outbound: result.outbound };
    const changed = result.changed && result.next !== undefined;
    const after = changed ? result.next : stored;
    const fresh = copyOutbox({ mailId: invite.mailId, owner, before: stored, after, decisions: result.decisions, outbound: result.outbound, changed, now });
    if (!changed || !result.next) {
      return { ...base, meeting: stored, saved: false, unstored: fresh, ...outboxOf(id, stored?.version ?? 0, left) };
    }
    if ((await deps.meetings.save(result.next, stored?.version, now, fresh)) === 'saved') {
      const version = (stored?.version ?? 0) + 1;
      return { ...base, meeting: { ...result.next, version }, saved: true, unstored: [], ...outboxOf(id, version, [...left, ...fresh]) };
    }
  }
  // Other writers kept winning: the consumer retries the message later (applying is idempotent).
  throw new AppError({
    code: 'APPOINTMENT_WRITE_CONFLICT', retryable: true,
    message: `meeting ${id}: still conflicting after ${MAX_CONFLICT_RETRIES} version-guarded attempts`,
  });
}

/** The result's outbox part: what waits on the copy, if anything. */
export function outboxOf(copyId: string, version: number, entries: PendingEntry[]): Pick<CopyResult, 'outbox'> {
  return entries.length > 0 ? { outbox: { copyId, version, entries } } : {};
}

/** The summary code of one copy's decisions: APPLIED when anything applied, else the first reason. */
export function outcomeOf(decisions: Decision[]): string {
  if (decisions.some((d) => d.code === 'APPLIED')) return 'APPLIED';
  return decisions[0]?.code ?? 'IGNORED';
}
