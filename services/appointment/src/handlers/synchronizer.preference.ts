import { randomUUID } from 'node:crypto';
import type { MigrationRepository } from '../data/migration.repository';
import type { SettingsRepository } from '../data/settings.repository';
import type { NotInSyncMarker } from './not-in-sync.marker';

export interface PreferenceLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SynchronizerPreferenceDeps {
  settings: SettingsRepository;
  marker: NotInSyncMarker;
  now: () => Date;
  log: PreferenceLogger;
}

/**
 * The global "calendar synchronizer in use" preference (domain.md §1.4, issue 10 §4). On: the
 * gate records inbound invitations as SYNCHRONIZER instead of applying them, and every copy
 * created before is marked not in sync (handlers/not-in-sync.marker.ts). Off: the hand-over
 * stops (inbound invitations are applied again) and a marking still running stops; copies
 * already marked stay marked — they were made while the synchronizer ignored them, and
 * un-marking would claim a sync that never happened.
 */
export class SynchronizerPreference {
  constructor(private readonly deps: SynchronizerPreferenceDeps) {}

  /** Returns whether this call changed it (false: it was already in that state). */
  async set(inUse: boolean, by: string, reason: string): Promise<boolean> {
    const now = this.deps.now();
    const changed = await this.deps.settings.switchSynchronizer(inUse, by, reason, now);
    if (!changed) return false;
    if (inUse) await this.deps.settings.startMarking(randomUUID(), now, reason, now);
    else await this.deps.settings.endMarking('stopped', now);
    this.deps.log.info({ inUse, by, reason }, 'calendar synchronizer preference changed');
    if (inUse) this.kick();
    return true;
  }

  /** Runs (or resumes) a pending marking in the background; failures are logged and retried on the next kick. */
  kick(): void {
    this.deps.marker.run().catch((err: unknown) => {
      this.deps.log.error({ code: 'NOT_IN_SYNC_MARKING_FAILED', err }, 'not-in-sync marking failed; it resumes from its checkpoint on the next round');
    });
  }
}

/** The migration's name in `migrations`: recorded once, so it never runs twice. */
export const SYNCHRONIZER_DETECTION_MIGRATION = 'synchronizer-detection-v1';

export type DetectionResult = 'already-ran' | 'switched-on' | 'not-found';

/**
 * Upgrade detection (domain.md §1.4): at start-up, once per database, switch the preference on
 * when any of the synchronizer's collections exists. It only ever switches on; its record (when,
 * what it found) is written after the switch, so a crash in between runs it again harmlessly
 * (switching on is a compare-and-set). Later installs of the synchronizer are the operator's
 * `inviteflow settings set synchronizer on`.
 */
export async function detectSynchronizer(
  deps: { migrations: MigrationRepository; preference: SynchronizerPreference; now: () => Date }, collections: readonly string[],
): Promise<DetectionResult> {
  if (await deps.migrations.find(SYNCHRONIZER_DETECTION_MIGRATION)) return 'already-ran';
  const present = await deps.migrations.collectionsPresent(collections);
  const reason = present.length > 0 ? `upgrade detection: synchronizer collections present (${present.join(', ')})` : `upgrade detection: none of ${collections.join(', ')} present`;
  if (present.length > 0) await deps.preference.set(true, `migration ${SYNCHRONIZER_DETECTION_MIGRATION}`, reason);
  await deps.migrations.record({ _id: SYNCHRONIZER_DETECTION_MIGRATION, ranAt: deps.now(), outcome: present.length > 0 ? 'SWITCHED_ON' : 'NOT_FOUND', detail: reason });
  return present.length > 0 ? 'switched-on' : 'not-found';
}
