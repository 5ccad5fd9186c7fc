import { appointmentV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import type { MeetingScan } from '../data/meeting-scan.repository';
import type { MigrationRepository } from '../data/migration.repository';
import type { MarkingDoc, SettingsRepository } from '../data/settings.repository';
import { effectivePolicy, isIncomingPolicy, POLICY_LEVELS, type IncomingPolicy, type PolicyLevel } from '../domain/incoming-policy';
import type { IncomingGate } from '../handlers/incoming.gate';
import { SYNCHRONIZER_DETECTION_MIGRATION, type SynchronizerPreference } from '../handlers/synchronizer.preference';
import { resolveOwner, type OwnerDirectory } from './owner.resolve';

export interface SettingsRpcDeps {
  settings: SettingsRepository;
  migrations: MigrationRepository;
  scan: MeetingScan;
  preference: SynchronizerPreference;
  /** This process's gate: its cached settings are dropped after a change. */
  gate: IncomingGate;
  identity: OwnerDirectory;
  now: () => Date;
}

const { IncomingPolicy: PolicyEnum } = appointmentV1;
const invalid = (message: string): AppError => new AppError({ code: 'INVALID_ARGUMENT', message, retryable: false });

/** GetSettings. Round trips: 4 reads (+ identity for an associate). */
export async function getSettings(deps: SettingsRpcDeps, req: appointmentV1.GetSettingsRequest): Promise<appointmentV1.GetSettingsResponse> {
  return { settings: await settingsView(deps, req.associate) };
}

/** SetSettings: one level's incoming policy, or the synchronizer preference (not both). */
export async function setSettings(deps: SettingsRpcDeps, req: appointmentV1.SetSettingsRequest): Promise<appointmentV1.SetSettingsResponse> {
  const by = req.changedBy.trim() || 'operator';
  if (req.synchronizerInUse !== undefined) {
    const changed = await deps.preference.set(req.synchronizerInUse, by, req.reason.trim() || `set by ${by}`);
    deps.gate.invalidate();
    return { settings: await settingsView(deps, ''), changed };
  }
  if (!req.incomingPolicy) throw invalid('a change is required: incoming_policy or synchronizer_in_use');
  const target = await policyTarget(deps, req.incomingPolicy);
  await deps.settings.setPolicy(target.level, target.scope, target.policy, by, deps.now());
  deps.gate.invalidate();
  return { settings: await settingsView(deps, target.level === 'associate' ? target.scope : ''), changed: true };
}

async function policyTarget(deps: SettingsRpcDeps, p: appointmentV1.SetIncomingPolicy): Promise<{ level: PolicyLevel; scope: string; policy: IncomingPolicy | undefined }> {
  const level = p.level.trim().toLowerCase();
  if (!(POLICY_LEVELS as readonly string[]).includes(level)) throw invalid(`incoming_policy.level must be one of ${POLICY_LEVELS.join(', ')} (got '${p.level}')`);
  const policy = p.policy === PolicyEnum.INCOMING_POLICY_UNSPECIFIED ? undefined : policyName(p.policy);
  if (level === 'system') {
    if (p.scope.trim()) throw invalid('incoming_policy.scope must be empty for the system level');
    return { level: 'system', scope: '', policy };
  }
  if (!p.scope.trim()) throw invalid(`incoming_policy.scope is required for the ${level} level (${level === 'group' ? 'the group name' : "the associate's id or address"})`);
  // An associate is named by id or address; it must exist (a typo would set nobody's policy).
  const scope = level === 'associate' ? (await resolveOwner(deps.identity, p.scope)).associateId : p.scope.trim();
  return { level: level as PolicyLevel, scope, policy };
}

async function settingsView(deps: SettingsRpcDeps, associate: string): Promise<appointmentV1.Settings> {
  const [policies, synchronizer, marking, detection] = await Promise.all([
    deps.settings.listPolicies(), deps.settings.synchronizer(), deps.settings.marking(), deps.migrations.find(SYNCHRONIZER_DETECTION_MIGRATION),
  ]);
  const owner = associate ? await resolveOwner(deps.identity, associate) : undefined;
  const effective = owner ? effectivePolicy(policies, owner.associateId, owner.group ?? '') : undefined;
  return {
    policies: policies.map((p) => ({ level: p.level, scope: p.scope, policy: policyEnum(p.policy), updatedAt: p.updatedAt, updatedBy: p.updatedBy })),
    synchronizer: synchronizer
      ? { inUse: synchronizer.inUse, changedAt: synchronizer.changedAt, changedBy: synchronizer.changedBy, reason: synchronizer.reason }
      : { inUse: false, changedAt: undefined, changedBy: '', reason: '' },
    marking: await markingView(deps, marking),
    effective: owner && effective ? { associateId: owner.associateId, group: owner.group ?? '', policy: policyEnum(effective.policy), level: effective.level, scope: effective.scope } : undefined,
    synchronizerDetection: detection ? { id: detection._id, ranAt: detection.ranAt, outcome: detection.outcome, detail: detection.detail } : undefined,
  };
}

async function markingView(deps: SettingsRpcDeps, m: MarkingDoc | undefined): Promise<appointmentV1.NotInSyncMarking> {
  const total = await deps.scan.count();
  if (!m) {
    return { state: 'none', runId: '', cutoff: undefined, reason: '', scanned: 0, marked: 0, batches: 0, lastId: '', startedAt: undefined, updatedAt: undefined, finishedAt: undefined, total };
  }
  return {
    state: m.state, runId: m.runId, cutoff: m.cutoff, reason: m.reason, scanned: m.scanned, marked: m.marked, batches: m.batches,
    lastId: m.lastId, startedAt: m.startedAt, updatedAt: m.updatedAt, finishedAt: m.finishedAt, total,
  };
}

function policyEnum(p: IncomingPolicy): appointmentV1.IncomingPolicy {
  return PolicyEnum[`INCOMING_POLICY_${p}`];
}

function policyName(p: appointmentV1.IncomingPolicy): IncomingPolicy {
  const name = PolicyEnum[p]?.replace(/^INCOMING_POLICY_/, '') ?? '';
  if (!isIncomingPolicy(name)) throw invalid(`incoming_policy.policy ${p} is not a known value`);
  return name;
}
