// "Manage incoming invitations" (domain.md §2, issue 10 §3) and the "calendar synchronizer in
// use" preference (domain.md §1.4, issue 10 §4): which inbound messages an associate's copy gets.
// Pure: the settings are handed in; the gate (handlers/incoming.gate.ts) reads and records.
import { assertNever } from '@inviteflow/contracts';

/** SuperOffice's four values, in order of how much they keep out. */
export const INCOMING_POLICIES = ['ENABLE_ALL', 'NO_TENTATIVE_CREATION', 'NO_CREATION_UPDATES_REPLIES', 'DISABLE_ALL'] as const;
export type IncomingPolicy = (typeof INCOMING_POLICIES)[number];

/** Where a policy is set; the most specific set level wins. */
export const POLICY_LEVELS = ['associate', 'group', 'system'] as const;
export type PolicyLevel = (typeof POLICY_LEVELS)[number];

/** What no setting at all means: the seed's behaviour (every invitation applied). */
export const DEFAULT_INCOMING_POLICY: IncomingPolicy = 'ENABLE_ALL';

/** One stored setting: the value for the system (scope ''), a group (its name) or an associate (its id). */
export interface PolicySetting {
  level: PolicyLevel;
  scope: string;
  policy: IncomingPolicy;
}

/** The policy in force for one associate, and which setting decided it. */
export interface EffectivePolicy {
  policy: IncomingPolicy;
  /** 'default' when nothing is set at any level. */
  level: PolicyLevel | 'default';
  /** The associate id or group name the deciding setting is for; '' for system and default. */
  scope: string;
}

/**
 * Pure: the most specific setting that applies to the associate wins: their own, else their
 * group's (identity's Associate.group), else the system's, else ENABLE_ALL.
 */
export function effectivePolicy(settings: readonly PolicySetting[], associateId: string, group: string): EffectivePolicy {
  const find = (level: PolicyLevel, scope: string) => settings.find((s) => s.level === level && s.scope === scope);
  const chosen = find('associate', associateId) ?? (group ? find('group', group) : undefined) ?? find('system', '');
  return chosen ? { policy: chosen.policy, level: chosen.level, scope: chosen.scope } : { policy: DEFAULT_INCOMING_POLICY, level: 'default', scope: '' };
}

/**
 * What the gate does with one message for one recipient:
 * - `apply`: the normal path (libs/itip decides);
 * - `apply-unless-new`: applied when the owner already holds the meeting, skipped when it would
 *   create the copy (NO_TENTATIVE_CREATION: new invitations recorded, not booked);
 * - `skip`: recorded, not applied. `evaluate` says whether the audit keeps what libs/itip would
 *   have done (NO_CREATION_UPDATES_REPLIES: "everything recorded") or not even that (DISABLE_ALL:
 *   "ignored": the message is not looked at for this associate; SYNCHRONIZER: the external
 *   calendar owns it).
 */
export type GateVerdict =
  | { kind: 'apply' }
  | { kind: 'apply-unless-new'; by: PolicyNote }
  | { kind: 'skip'; by: PolicyNote; evaluate: boolean };

/** Which setting kept a message out, as the audit records it (RecipientOutcome.policy). */
export interface PolicyNote {
  /** POLICY (Manage incoming invitations) or SYNCHRONIZER (the preference). */
  outcome: 'POLICY' | 'SYNCHRONIZER';
  /** The policy value, or SYNCHRONIZER_IN_USE. */
  value: IncomingPolicy | 'SYNCHRONIZER_IN_USE';
  /** The level that decided: associate, group, system, or global (the preference). */
  level: PolicyLevel | 'global';
  /** The associate id or group name of that setting; '' for system and global. */
  scope: string;
}

/**
 * Pure: the verdict for one recipient. The synchronizer preference comes first: when it is on,
 * the mail client and the synchronizer handle every inbound invitation, so the copy must not be
 * written here too (it would duplicate: domain.md §1.4), whatever the policy says.
 */
export function gateVerdict(synchronizerInUse: boolean, effective: EffectivePolicy): GateVerdict {
  if (synchronizerInUse) return { kind: 'skip', evaluate: false, by: { outcome: 'SYNCHRONIZER', value: 'SYNCHRONIZER_IN_USE', level: 'global', scope: '' } };
  const by: PolicyNote = { outcome: 'POLICY', value: effective.policy, level: effective.level === 'default' ? 'system' : effective.level, scope: effective.scope };
  switch (effective.policy) {
    case 'ENABLE_ALL':
      return { kind: 'apply' };
    case 'NO_TENTATIVE_CREATION':
      return { kind: 'apply-unless-new', by };
    case 'NO_CREATION_UPDATES_REPLIES':
      return { kind: 'skip', by, evaluate: true };
    case 'DISABLE_ALL':
      return { kind: 'skip', by, evaluate: false };
    default:
      return assertNever(effective.policy, 'incoming policy');
  }
}

/** The reason code recorded on a skipped message's decision (docs/scheduling.md). */
export function policyReason(note: PolicyNote): string {
  return note.outcome === 'SYNCHRONIZER' ? 'SYNCHRONIZER_IN_USE' : `POLICY_${note.value}`;
}

/** In words, for the audit: "associate policy DISABLE_ALL (a-1)". */
export function policyText(note: PolicyNote): string {
  if (note.outcome === 'SYNCHRONIZER') return 'the calendar synchronizer is in use: the external calendar handles inbound invitations';
  return `${note.level} policy ${note.value}${note.scope ? ` (${note.scope})` : ''}`;
}

export function isIncomingPolicy(value: string): value is IncomingPolicy {
  return (INCOMING_POLICIES as readonly string[]).includes(value);
}

