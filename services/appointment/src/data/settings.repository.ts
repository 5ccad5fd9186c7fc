import type { Collection, Db } from 'mongodb';
import { insertIfAbsent, mapDriverErrors } from '@inviteflow/mongo';
import type { IncomingPolicy, PolicyLevel, PolicySetting } from '../domain/incoming-policy';

/**
 * The `settings` collection: "Manage incoming invitations" per system, group and associate
 * (`policy:<level>:<scope>`), the global "calendar synchronizer in use" preference
 * (`synchronizer`), and the checkpoint of the not-in-sync marking (`not-in-sync-marking`).
 * Small documents read by _id (indexed everywhere, the stand-in included).
 */
export type SettingsDoc = PolicySettingDoc | SynchronizerDoc | MarkingDoc;

export interface PolicySettingDoc extends PolicySetting {
  _id: string;
  kind: 'incoming-policy';
  updatedAt: Date;
  updatedBy: string;
}

export interface SynchronizerDoc {
  _id: typeof SYNCHRONIZER_ID;
  kind: 'synchronizer';
  inUse: boolean;
  /** When and by whom it last changed, and why (the migration says which collections it found). */
  changedAt: Date;
  changedBy: string;
  reason: string;
}

export type MarkingState = 'running' | 'done' | 'stopped';

/** The checkpoint of one marking run: resumable after a crash from `lastId`. */
export interface MarkingDoc {
  _id: typeof MARKING_ID;
  kind: 'not-in-sync-marking';
  runId: string;
  state: MarkingState;
  /** Copies created before this instant are marked (the switch-on time). */
  cutoff: Date;
  reason: string;
  /** Copies are walked in _id order; every copy up to and including this one is done. */
  lastId: string;
  scanned: number;
  marked: number;
  batches: number;
  startedAt: Date;
  updatedAt: Date;
  finishedAt?: Date;
  /** The process working on it, until when: a crashed runner's lease runs out and another resumes. */
  leaseOwner: string;
  leaseUntil: Date;
}

const SYNCHRONIZER_ID = 'synchronizer';
const MARKING_ID = 'not-in-sync-marking';

export function policyId(level: PolicyLevel, scope: string): string {
  return level === 'system' ? 'policy:system' : `policy:${level}:${scope}`;
}

/** Storage only: the rules are domain/incoming-policy.ts, the switching handlers/synchronizer.preference.ts. Round trips: 1 per call. */
export class SettingsRepository {
  private readonly settings: Collection<SettingsDoc>;

  constructor(db: Db) {
    this.settings = db.collection('settings');
    return mapDriverErrors(this, 'SettingsRepository');
  }

  /** The policy settings for these (level, scope) pairs and the synchronizer preference, in one read. */
  async gateSnapshot(ids: readonly string[]): Promise<{ policies: PolicySetting[]; synchronizerInUse: boolean }> {
    const docs = await this.settings.find({ _id: { $in: [...new Set([...ids, SYNCHRONIZER_ID])] } }).toArray();
    const policies = docs.filter((d): d is PolicySettingDoc => d.kind === 'incoming-policy').map(({ level, scope, policy }) => ({ level, scope, policy }));
    return { policies, synchronizerInUse: docs.some((d) => d.kind === 'synchronizer' && d.inUse) };
  }

  async listPolicies(): Promise<PolicySettingDoc[]> {
    const docs = await this.settings.find({ kind: 'incoming-policy' }).toArray();
    return (docs as PolicySettingDoc[]).sort((a, b) => a._id.localeCompare(b._id));
  }

  /** Sets the level's value, or removes it (`policy` undefined: the level inherits again). */
  async setPolicy(level: PolicyLevel, scope: string, policy: IncomingPolicy | undefined, by: string, now: Date): Promise<void> {
    const _id = policyId(level, scope);
    if (policy === undefined) {
      await this.settings.deleteOne({ _id });
      return;
    }
    const doc: PolicySettingDoc = { _id, kind: 'incoming-policy', level, scope, policy, updatedAt: now, updatedBy: by };
    await this.settings.replaceOne({ _id }, doc, { upsert: true });
  }

  async synchronizer(): Promise<SynchronizerDoc | undefined> {
    return ((await this.settings.findOne({ _id: SYNCHRONIZER_ID })) as SynchronizerDoc | null) ?? undefined;
  }

  /**
   * Compare-and-set: flips the preference to `inUse` only if it is not already so. Returns
   * true when this call changed it, so of two processes switching at once exactly one starts the
   * marking. Round trips: 1 read + 1 write.
   */
  async switchSynchronizer(inUse: boolean, by: string, reason: string, now: Date): Promise<boolean> {
    const doc: SynchronizerDoc = { _id: SYNCHRONIZER_ID, kind: 'synchronizer', inUse, changedAt: now, changedBy: by, reason };
    const current = await this.synchronizer();
    if (!current) return inUse ? insertIfAbsent(this.settings, doc) : false;
    if (current.inUse === inUse) return false;
    const r = await this.settings.updateOne({ _id: SYNCHRONIZER_ID, inUse: current.inUse }, { $set: doc });
    return r.matchedCount === 1;
  }

  async marking(): Promise<MarkingDoc | undefined> {
    return ((await this.settings.findOne({ _id: MARKING_ID })) as MarkingDoc | null) ?? undefined;
  }

  /** A new run from the first copy (already marked copies are skipped by the marker). */
  async startMarking(runId: string, cutoff: Date, reason: string, now: Date): Promise<void> {
    const doc: MarkingDoc = {
      _id: MARKING_ID, kind: 'not-in-sync-marking', runId, state: 'running', cutoff, reason, lastId: '',
      scanned: 0, marked: 0, batches: 0, startedAt: now, updatedAt: now, leaseOwner: '', leaseUntil: new Date(0),
    };
    await this.settings.replaceOne({ _id: MARKING_ID }, doc, { upsert: true });
  }

  /** Takes the running run for `owner` when nobody holds a live lease on it. */
  async claimMarking(owner: string, now: Date, leaseMs: number): Promise<MarkingDoc | undefined> {
    const r = await this.settings.updateOne(
      { _id: MARKING_ID, state: 'running', $or: [{ leaseUntil: { $lte: now } }, { leaseOwner: owner }] },
      { $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) } },
    );
    return r.matchedCount === 1 ? this.marking() : undefined;
  }

  /**
   * Records one batch done and renews the lease. False when the run is no longer this owner's
   * (switched off, a new run started, the lease was lost): the runner stops.
   */
  async checkpoint(run: { runId: string; owner: string }, batch: { lastId: string; scanned: number; marked: number }, now: Date, leaseMs: number): Promise<boolean> {
    const r = await this.settings.updateOne(
      { _id: MARKING_ID, runId: run.runId, leaseOwner: run.owner, state: 'running' },
      { $set: { lastId: batch.lastId, updatedAt: now, leaseUntil: new Date(now.getTime() + leaseMs) }, $inc: { scanned: batch.scanned, marked: batch.marked, batches: 1 } },
    );
    return r.matchedCount === 1;
  }

  /** Ends a run: `done` by its owner when no copy is left, `stopped` when the preference is switched off. */
  async endMarking(state: Exclude<MarkingState, 'running'>, now: Date, run?: { runId: string; owner: string }): Promise<void> {
    const filter = run ? { _id: MARKING_ID, runId: run.runId, leaseOwner: run.owner, state: 'running' as const } : { _id: MARKING_ID, state: 'running' as const };
    await this.settings.updateOne(filter, { $set: { state, finishedAt: now, updatedAt: now, leaseUntil: new Date(0) } });
  }
}
