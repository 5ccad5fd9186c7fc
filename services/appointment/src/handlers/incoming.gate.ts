import { applyMessage, decision, type ApplyResult } from '@inviteflow/itip';
import type { eventsV1 } from '@inviteflow/proto-gen';
import { meetingId, type MeetingRepository } from '../data/meeting.repository';
import { policyId, type SettingsRepository } from '../data/settings.repository';
import type { CopyOwner } from '../domain/copy-owner';
import { effectivePolicy, gateVerdict, policyReason, policyText, type PolicyNote } from '../domain/incoming-policy';
import type { RecipientOutcome } from '../domain/outcome.summary';

export interface IncomingGateDeps {
  settings: SettingsRepository;
  meetings: MeetingRepository;
  now: () => Date;
  /** How long a read of the settings is reused (0: read for every recipient). */
  cacheMs: number;
}

type Snapshot = Awaited<ReturnType<SettingsRepository['gateSnapshot']>>;

/**
 * Issue 10 §3–§4 before anything is applied: "Manage incoming invitations" for the recipient
 * (associate → group → system) and the "calendar synchronizer in use" preference. `screen` is
 * the one call the arrival and parked paths make per recipient: undefined means apply as
 * usual; an entry means the message is kept out and that entry is what the audit records.
 * Round trips: 1 settings read (reused for `cacheMs`), +1 copy read for NO_TENTATIVE_CREATION
 * and NO_CREATION_UPDATES_REPLIES (what libs/itip would have done is recorded).
 */
export class IncomingGate {
  /**
   * Per (associate, group): the read and when it was started (a snapshot is served while younger
   * than `cacheMs`, counted from the start of its read, so a change elsewhere still shows within
   * `cacheMs`). One read at a time per key: handlers that miss together share it; past half its
   * age a hit starts the next read in the background, so under steady traffic no message waits
   * for one (issue 14: each wait was one round trip on the arrival path, ~20 % of messages at 50/s).
   */
  private readonly cache = new Map<string, { at: number; snapshot: Promise<Snapshot>; refreshing?: boolean }>();
  /** Bumped by invalidate(): a read started before it is not cached. */
  private generation = 0;

  constructor(private readonly deps: IncomingGateDeps) {}

  async screen(owner: CopyOwner, invite: eventsV1.InviteParsed, senderAddresses: string[]): Promise<RecipientOutcome | undefined> {
    const group = owner.group ?? '';
    const snapshot = await this.snapshot(owner.associateId, group);
    const verdict = gateVerdict(snapshot.synchronizerInUse, effectivePolicy(snapshot.policies, owner.associateId, group));
    if (verdict.kind === 'apply') return undefined;
    if (verdict.kind === 'skip' && !verdict.evaluate) return keptOut(owner, verdict.by, '', undefined);
    const dry = await this.dryRun(owner, invite, senderAddresses);
    // NO_TENTATIVE_CREATION: only a message that would create the copy is kept out.
    if (verdict.kind === 'apply-unless-new' && !(dry.stored === undefined && dry.result.changed)) return undefined;
    return keptOut(owner, verdict.by, dry.stored?.id ?? '', dry.result);
  }

  /** Drops cached settings (after SetSettings in this process; other processes wait `cacheMs`). */
  invalidate(): void {
    this.generation++;
    this.cache.clear();
  }

  private snapshot(associateId: string, group: string): Promise<Snapshot> {
    const ids = [policyId('system', ''), policyId('associate', associateId), ...(group ? [policyId('group', group)] : [])];
    if (this.deps.cacheMs <= 0) return this.deps.settings.gateSnapshot(ids);
    const key = `${associateId}|${group}`;
    const now = this.deps.now().getTime();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.deps.cacheMs) {
      if (!hit.refreshing && now - hit.at >= this.deps.cacheMs / 2) {
        hit.refreshing = true;
        // A failed background read leaves the entry to age out (the next miss reads again).
        this.read(key, ids, now).catch(() => undefined);
      }
      return hit.snapshot;
    }
    return this.read(key, ids, now);
  }

  /** Reads and caches one key's snapshot; a failed read is not cached. */
  private read(key: string, ids: string[], startedAt: number): Promise<Snapshot> {
    const generation = this.generation;
    const snapshot = this.deps.settings.gateSnapshot(ids);
    const current = this.cache.get(key);
    // A miss caches the read at once (the handlers that miss with it share it); a refresh replaces
    // the entry only once it has its answer, so hits meanwhile keep the current one.
    if (!current || startedAt - current.at >= this.deps.cacheMs) this.store(key, { at: startedAt, snapshot });
    snapshot.then(
      () => {
        if (generation === this.generation && (this.cache.get(key)?.at ?? -Infinity) <= startedAt) this.store(key, { at: startedAt, snapshot });
      },
      () => {
        if (this.cache.get(key)?.snapshot === snapshot) this.cache.delete(key);
      },
    );
    return snapshot;
  }

  private store(key: string, entry: { at: number; snapshot: Promise<Snapshot> }): void {
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, entry);
  }

  /** What libs/itip would do to the stored copy, without saving anything. */
  private async dryRun(owner: CopyOwner, invite: eventsV1.InviteParsed, senderAddresses: string[]) {
    const stored = await this.deps.meetings.find(owner.associateId, invite.uid);
    const ctx = {
      now: this.deps.now().toISOString(), newMeetingId: meetingId(owner.associateId, invite.uid), senderAddresses,
      owner: { associateId: owner.associateId, addresses: owner.addresses, timeZone: owner.timeZone },
    };
    return { stored, result: applyMessage(stored, invite, ctx) };
  }
}

/** The audit entry of a message the gate kept out: POLICY or SYNCHRONIZER, and which setting decided. */
function keptOut(owner: CopyOwner, by: PolicyNote, copyId: string, wouldHave: ApplyResult | undefined): RecipientOutcome {
  return {
    address: owner.address, associateId: owner.associateId, meetingId: copyId, outcome: by.outcome,
    decisions: [decision('IGNORED', policyReason(by), policyText(by))],
    policy: { ...by, ...(wouldHave ? { wouldHave: wouldHave.decisions } : {}) },
  };
}
