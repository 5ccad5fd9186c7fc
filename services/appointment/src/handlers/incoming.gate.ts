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
  private readonly cache = new Map<string, { at: number; snapshot: Snapshot }>();

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
    this.cache.clear();
  }

  private async snapshot(associateId: string, group: string): Promise<Snapshot> {
    const key = `${associateId}|${group}`;
    const now = this.deps.now().getTime();
    const hit = this.cache.get(key);
    if (hit && this.deps.cacheMs > 0 && now - hit.at < this.deps.cacheMs) return hit.snapshot;
    const ids = [policyId('system', ''), policyId('associate', associateId), ...(group ? [policyId('group', group)] : [])];
    const snapshot = await this.deps.settings.gateSnapshot(ids);
    if (this.deps.cacheMs > 0) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, { at: now, snapshot });
    }
    return snapshot;
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
