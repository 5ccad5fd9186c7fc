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
   * Undefined when nothing waits on the copy.
   */
  outbox?: { copyId: string; version: number; entries: PendingEntry[] };
  /** What a message that changed nothing still asks to send (a REFRESH answered): not stored, a redelivery computes it again. */
  unstored: PendingEntry[];
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
 * trips: 1 read + 1 write when it changes the copy (+2 per lost race); a first REQUEST
 * (likelyNewCopy) 1 insert when it creates the copy, +1 refused insert when the copy was there.
 */
export async function applyToCopy(
  deps: MeetingApplierDeps, owner: CopyOwner, invite: eventsV1.InviteParsed, senderAddresses: string[],
): Promise<CopyResult> {
  const id = meetingId(owner.associateId, invite.uid);
  // Insert first (issue 14): a first-time REQUEST most likely finds no copy, so it is decided
  // against none and inserted without reading; the insert is the guard (a copy already there is a
  // duplicate key, i.e. a conflict: read and decide again below). The same outcome as reading
  // first, one round trip less for a new copy, one more when the guess was wrong.
  if (likelyNewCopy(invite)) {
    const first = await decideAndSave(deps, owner, invite, senderAddresses, id, undefined, { onlyIfCreates: true });
    if (first) return first;
  }
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const loaded = await deps.meetings.load(owner.associateId, invite.uid);
    const result = await decideAndSave(deps, owner, invite, senderAddresses, id, loaded, { onlyIfCreates: false });
    if (result) return result;
  }
  // Other writers kept winning: the consumer retries the message later (applying is idempotent).
  throw new AppError({
    code: 'APPOINTMENT_WRITE_CONFLICT', retryable: true,
    message: `meeting ${id}: still conflicting after ${MAX_CONFLICT_RETRIES} version-guarded attempts`,
  });
}

/**
 * One attempt: decide against `loaded` (undefined: no copy) and save under the version guard.
 * Undefined when the save lost a race (re-read and try again), or, with `onlyIfCreates`, when
 * the message would not create a copy from nothing (then only a read tells what it does).
 */
async function decideAndSave(
  deps: MeetingApplierDeps, owner: CopyOwner, invite: eventsV1.InviteParsed, senderAddresses: string[], id: string,
  loaded: { meeting: Meeting; pending: PendingEntry[] } | undefined, opts: { onlyIfCreates: boolean },
): Promise<CopyResult | undefined> {
  const stored = loaded?.meeting;
  const left = loaded?.pending ?? [];
  const now = deps.now();
  const ctx = {
    now: now.toISOString(), newMeetingId: id, senderAddresses,
    owner: { associateId: owner.associateId, addresses: owner.addresses, timeZone: owner.timeZone },
  };
  const result = applyMessage(stored, invite, ctx);
  const changed = result.changed && result.next !== undefined;
  if (opts.onlyIfCreates && !changed) return undefined;
  const base = { owner, before: stored, decisions: result.decisions, outbound: result.outbound };
  const after = changed ? result.next : stored;
  const fresh = copyOutbox({ mailId: invite.mailId, owner, before: stored, after, decisions: result.decisions, outbound: result.outbound, changed, now });
  if (!changed || !result.next) {
    return { ...base, meeting: stored, saved: false, unstored: fresh, ...outboxOf(id, stored?.version ?? 0, left) };
  }
  if ((await deps.meetings.save(result.next, stored?.version, now, fresh)) !== 'saved') return undefined;
  const version = (stored?.version ?? 0) + 1;
  return { ...base, meeting: { ...result.next, version }, saved: true, unstored: [], ...outboxOf(id, version, [...left, ...fresh]) };
}

/**
 * A REQUEST at SEQUENCE 0 of every component: an organizer's first invitation (RFC 5546 §2.1.4:
 * a rescheduling raises SEQUENCE), so usually no copy exists yet. Only a guess about cost: a
 * wrong one costs one refused insert, never a different outcome.
 */
export function likelyNewCopy(invite: eventsV1.InviteParsed): boolean {
  return invite.method.toUpperCase() === 'REQUEST' && invite.events.length > 0 && invite.events.every((e) => (e.sequence ?? 0) === 0);
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
