import { applyMessage, type Decision, type ItipMessage, type Meeting } from '@inviteflow/itip';
import type { eventsV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import { meetingId, type MeetingRepository } from '../data/meeting.repository';
import type { CopyOwner } from '../domain/copy-owner';

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
}

/** Lost races with other writers of the same copy before the message is handed back to be retried. */
export const MAX_CONFLICT_RETRIES = 8;

/**
 * The one apply path — invites as they arrive, parked ones applied later, `meeting import`:
 * load the owner's copy, let libs/itip decide, save under the version guard. A lost race
 * re-reads and decides again on the newer copy, so two appointment processes applying a REQUEST
 * and ten REPLYs for one meeting at once lose none of them. Idempotent: the same message again
 * is DUPLICATE (or STALE) and changes nothing. Round trips: 1 read + 1 write when it changes
 * the copy (+2 per lost race).
 */
export async function applyToCopy(
  deps: MeetingApplierDeps, owner: CopyOwner, invite: eventsV1.InviteParsed, senderAddresses: string[],
): Promise<CopyResult> {
  const id = meetingId(owner.associateId, invite.uid);
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const stored = await deps.meetings.find(owner.associateId, invite.uid);
    const now = deps.now();
    const ctx = {
      now: now.toISOString(), newMeetingId: id, senderAddresses,
      owner: { associateId: owner.associateId, addresses: owner.addresses, timeZone: owner.timeZone },
    };
    const result = applyMessage(stored, invite, ctx);
    const base = { owner, before: stored, decisions: result.decisions, outbound: result.outbound };
    if (!result.changed || !result.next) return { ...base, meeting: stored, saved: false };
    if ((await deps.meetings.save(result.next, stored?.version, now)) === 'saved') {
      return { ...base, meeting: { ...result.next, version: (stored?.version ?? 0) + 1 }, saved: true };
    }
  }
  // Other writers kept winning: the consumer retries the message later (applying is idempotent).
  throw new AppError({
    code: 'APPOINTMENT_WRITE_CONFLICT', retryable: true,
    message: `meeting ${id}: still conflicting after ${MAX_CONFLICT_RETRIES} version-guarded attempts`,
  });
}

/** The summary code of one copy's decisions: APPLIED when anything applied, else the first reason. */
export function outcomeOf(decisions: Decision[]): string {
  if (decisions.some((d) => d.code === 'APPLIED')) return 'APPLIED';
  return decisions[0]?.code ?? 'IGNORED';
}
