import type { Caution, Meeting } from '@inviteflow/itip';
import type { MeetingScan } from '../data/meeting-scan.repository';
import type { MarkingDoc, SettingsRepository } from '../data/settings.repository';

/** Announces one marked copy (appointment.not-in-sync.v1, msgID `not-in-sync:<copy id>`). */
export type NotInSyncPublisher = (meeting: Meeting, run: { runId: string; reason: string; markedAt: Date }) => Promise<void>;

export interface MarkerLogger {
  info(obj: object, msg?: string): void;
}

export interface NotInSyncMarkerDeps {
  settings: SettingsRepository;
  scan: MeetingScan;
  publish: NotInSyncPublisher;
  now: () => Date;
  log: MarkerLogger;
  /** Copies per batch: one page read, then one checkpoint. */
  batchSize: number;
  /** This process, as the lease names it. */
  owner: string;
  /** How long a runner's claim lasts without a checkpoint (a crashed runner's claim runs out). */
  leaseMs: number;
}

export interface MarkingPass {
  /** idle: no run to do, or another process holds it; stopped: switched off or superseded meanwhile. */
  result: 'idle' | 'done' | 'stopped';
  batches: number;
  marked: number;
}

/** The caution a marked copy carries (domain.md §2 NotInSync). */
export function notInSyncCaution(run: Pick<MarkingDoc, 'cutoff' | 'reason'>): Caution {
  return { code: 'NOT_IN_SYNC', detail: `created by inviteflow before the calendar synchronizer was switched on (${run.cutoff.toISOString()}: ${run.reason}); the synchronizer does not keep it in sync` };
}

export function isMarkedNotInSync(m: Meeting): boolean {
  return m.cautions.some((c) => c.code === 'NOT_IN_SYNC');
}

/**
 * Switching the synchronizer preference on marks every copy the invite system created before
 * as not kept in sync, and announces each (domain.md §1.4: "marked, in both calendars").
 * Batched (a page of copies in _id order, announced, marked in one atomic update, then a
 * checkpoint), resumable (a crashed run is claimed again once its lease runs out and goes on
 * after the last checkpoint), idempotent (a copy already carrying NOT_IN_SYNC is skipped).
 * Announce first, mark second: a crash in between re-announces that page under the same
 * msgIDs (JetStream drops them inside the stream's duplicate window; beyond it a consumer
 * recognises them by msgID) and never marks a copy twice; marking first would lose events.
 * The mark never overwrites a copy: data/meeting-scan.repository.ts markNotInSync.
 * Round trips per batch: 1 page + 1 marking update + 1 checkpoint, and one publish per copy.
 */
export class NotInSyncMarker {
  private active: Promise<MarkingPass> | undefined;
  private stopping = false;

  constructor(private readonly deps: NotInSyncMarkerDeps) {}

  /** Runs the pending marking, if any, to its end; a second call while one runs joins it. */
  run(): Promise<MarkingPass> {
    this.active ??= this.pass().finally(() => (this.active = undefined));
    return this.active;
  }

  /**
   * Shutdown: ends the run after the batch in hand, leaving its checkpoint and lease (the
   * next process resumes once the lease runs out).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.active?.catch(() => undefined);
  }

  private async pass(): Promise<MarkingPass> {
    const { settings, now, leaseMs, owner } = this.deps;
    const claimed = await settings.claimMarking(owner, now(), leaseMs);
    const tally: MarkingPass = { result: 'idle', batches: 0, marked: 0 };
    if (!claimed) return tally;
    const run = { runId: claimed.runId, owner };
    let lastId = claimed.lastId;
    this.deps.log.info({ runId: run.runId, resumeAfter: lastId || '(start)' }, 'not-in-sync marking running');
    while (!this.stopping) {
      const page = await this.deps.scan.pageAfter(lastId, this.deps.batchSize);
      if (page.length === 0) {
        await settings.endMarking('done', now(), run);
        this.deps.log.info({ runId: run.runId, ...tally }, 'not-in-sync marking done');
        return { ...tally, result: 'done' };
      }
      const marked = await this.markPage(page, claimed);
      lastId = page[page.length - 1]!.id;
      tally.batches += 1;
      tally.marked += marked;
      if (!(await settings.checkpoint(run, { lastId, scanned: page.length, marked }, now(), leaseMs))) return { ...tally, result: 'stopped' };
    }
    return { ...tally, result: 'stopped' };
  }

  /** Announces, then marks, the copies of one page created before the switch and not marked yet. */
  private async markPage(page: Meeting[], run: MarkingDoc): Promise<number> {
    const due = page.filter((m) => !isMarkedNotInSync(m) && Date.parse(m.createdAt) < run.cutoff.getTime());
    if (due.length === 0) return 0;
    const markedAt = this.deps.now();
    for (const m of due) await this.deps.publish(m, { runId: run.runId, reason: run.reason, markedAt });
    return this.deps.scan.markNotInSync(due.map((m) => m.id), notInSyncCaution(run), run.cutoff, markedAt);
  }
}
