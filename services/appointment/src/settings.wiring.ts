import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from 'mongodb';
import type { NatsHandle } from '@inviteflow/messaging';
import type { ConfigOf, Logger, ShutdownStep } from '@inviteflow/runtime';
import type { appointmentConfig } from './config';
import { MeetingScan } from './data/meeting-scan.repository';
import type { MeetingRepository } from './data/meeting.repository';
import { MigrationRepository } from './data/migration.repository';
import { SettingsRepository } from './data/settings.repository';
import type { SettingsRpcDeps } from './grpc/settings.rpc';
import { IncomingGate } from './handlers/incoming.gate';
import { NotInSyncMarker, type NotInSyncPublisher } from './handlers/not-in-sync.marker';
import { notInSyncPublisher } from './handlers/not-in-sync.publisher';
import { detectSynchronizer, SynchronizerPreference } from './handlers/synchronizer.preference';

type Config = ConfigOf<typeof appointmentConfig>;

/** A marking runner's claim lasts this long past its last checkpoint: a crashed runner's work is resumed after it. */
export const MARKING_LEASE_MS = 30_000;
/** How often each process looks for a marking to run or resume. */
const MARKING_RECHECK_MS = 15_000;

export interface SettingsWiring {
  gate: IncomingGate;
  preference: SynchronizerPreference;
  marker: NotInSyncMarker;
  /** What the Settings RPCs need besides identity and the clock. */
  api: Omit<SettingsRpcDeps, 'identity' | 'now'>;
  steps: ShutdownStep[];
}

/**
 * Issue 10 §3–§4: the gate the apply paths ask, the synchronizer preference and its marking,
 * and the one-time upgrade detection, run before the consumer starts so no invitation is
 * applied that the synchronizer already owns. A marking left running (a crash, a restart) is
 * resumed here and re-checked periodically.
 */
export async function startSettings(opts: {
  config: Config; db: Db; nats: NatsHandle; meetings: MeetingRepository; log: Logger; now: () => Date; publish?: NotInSyncPublisher;
}): Promise<SettingsWiring> {
  const { config, db, log, now } = opts;
  const settings = new SettingsRepository(db);
  const migrations = new MigrationRepository(db);
  const scan = new MeetingScan(db);
  const gate = new IncomingGate({ settings, meetings: opts.meetings, now, cacheMs: config.settingsCacheMs });
  const marker = new NotInSyncMarker({
    settings, scan, publish: opts.publish ?? notInSyncPublisher(opts.nats), now, log,
    batchSize: config.notInSyncBatchSize, owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, leaseMs: MARKING_LEASE_MS,
  });
  const preference = new SynchronizerPreference({ settings, marker, now, log });
  const detected = await detectSynchronizer({ migrations, preference, now }, config.synchronizerCollections);
  log.info({ detected, collections: config.synchronizerCollections }, 'calendar synchronizer upgrade detection');
  preference.kick();
  const timer = setInterval(() => preference.kick(), MARKING_RECHECK_MS);
  timer.unref();
  return {
    gate, preference, marker, api: { settings, migrations, scan, preference, gate },
    steps: [{ name: 'not-in-sync-marking-stop', run: async () => { clearInterval(timer); await marker.stop(); } }],
  };
}
