import type { Db } from 'mongodb';
import type { Metrics } from '@inviteflow/runtime';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { MailboxCheckpointRepository } from '../data/mailbox-checkpoint.repository';
import { MailboxLeaseRepository } from '../data/mailbox-lease.repository';
import { MailboxRepository } from '../data/mailbox.repository';
import type { AcceptedMail } from '../smtp/smtp.listener';
import { MailboxPoller, type PollerDeps, type PollerTiming } from './mailbox.poller';
import { type MailboxDefinition, type MailboxStatus, publicMailbox } from './mailbox.types';

export interface MailboxIntakeDeps {
  db: Db;
  timing: PollerTiming;
  /** Ingest's MAX_MESSAGE_BYTES, the same bound as SMTP. */
  maxMessageBytes: number;
  /** IMAP_LEASE_TTL_MS: how long a dead replica keeps its mailboxes. */
  leaseTtlMs: number;
  /** storeAndAnnounce with its source: the same path as SMTP. */
  accept: (mail: AcceptedMail, source: string) => Promise<unknown>;
  log: PollerDeps['log'];
  metrics: Pick<Metrics, 'gauge' | 'counter'>;
}

export interface MailboxIntake {
  pollers: ReadonlyMap<string, MailboxPoller>;
  /** This replica's name in mailbox_leases. */
  owner: string;
  stop(): Promise<void>;
  // --- Mailbox admin (src/grpc): definitions added, changed or removed while ingest runs ---
  /** Re-reads the definitions: starts new ones, restarts changed ones, stops removed ones. */
  reload(): Promise<void>;
  // --- end mailbox admin ---
}

/** Starts one poller per mailbox defined in ingest's database (read at start). */
export async function startMailboxIntake(deps: MailboxIntakeDeps): Promise<MailboxIntake> {
  const definitions = await new MailboxRepository(deps.db).list();
  const checkpoints = new MailboxCheckpointRepository(deps.db);
  const onStatus = statusMetrics(deps.metrics);
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const lease = { repo: new MailboxLeaseRepository(deps.db), owner, ttlMs: deps.leaseTtlMs };
  const pollers = new Map<string, MailboxPoller>();
  const startPoller = (def: MailboxDefinition): void => {
    const poller = new MailboxPoller({
      ...deps.timing, pollIntervalMs: def.pollIntervalMs ?? deps.timing.pollIntervalMs, def, checkpoints, log: deps.log, onStatus,
      lease, maxMessageBytes: deps.maxMessageBytes, // lease + size bound (imap-core)
      accept: (mail) => deps.accept(mail, `imap:${def.id}`),
    });
    pollers.set(def.id, poller);
    poller.start();
    deps.log.info({ mailbox: publicMailbox(def) }, 'reading mailbox');
  };
  for (const def of definitions) startPoller(def);
  // --- Mailbox admin: reload ---
  const running = new Map(definitions.map((def) => [def.id, JSON.stringify(def)]));
  let reloading: Promise<void> = Promise.resolve();
  let stopped = false;
  const reloadNow = async (): Promise<void> => {
    if (stopped) return;
    const now = await new MailboxRepository(deps.db).list();
    const wanted = new Map(now.map((def) => [def.id, def]));
    for (const [id, shape] of running) {
      const def = wanted.get(id);
      if (def && JSON.stringify(def) === shape) continue;
      await pollers.get(id)?.stop();
      pollers.delete(id);
      running.delete(id);
      if (!def) deps.log.info({ mailbox: id }, 'mailbox removed: stopped reading it');
    }
    for (const def of now) {
      if (running.has(def.id)) continue;
      running.set(def.id, JSON.stringify(def));
      startPoller(def);
    }
  };
  // --- end mailbox admin: reload ---
  return {
    pollers, owner,
    stop: async () => {
      stopped = true;
      await reloading.catch(() => undefined);
      await Promise.all([...pollers.values()].map((p) => p.stop()));
    },
    // One reload at a time: two overlapping ones could start a mailbox twice.
    reload: () => (reloading = reloading.then(reloadNow, reloadNow)),
  };
}

function statusMetrics(metrics: MailboxIntakeDeps['metrics']): (status: MailboxStatus) => void {
  const connected = metrics.gauge({ name: 'inviteflow_mailbox_connected', help: '1 while the mailbox connection is open', labelNames: ['mailbox'] });
  const backlog = metrics.gauge({ name: 'inviteflow_mailbox_backlog', help: 'Messages above the checkpoint at the last scan, not yet processed', labelNames: ['mailbox'] });
  const processed = metrics.gauge({ name: 'inviteflow_mailbox_processed', help: 'Messages taken from the mailbox since start', labelNames: ['mailbox'] });
  const tooLarge = metrics.gauge({ name: 'inviteflow_mailbox_too_large', help: 'Messages passed over for exceeding MAX_MESSAGE_BYTES since start', labelNames: ['mailbox'] });
  const standby = metrics.gauge({ name: 'inviteflow_mailbox_standby', help: '1 while another ingest replica holds the mailbox lease', labelNames: ['mailbox'] });
  const errors = metrics.counter({ name: 'inviteflow_mailbox_errors_total', help: 'Mailbox failures, each followed by a backoff and retry', labelNames: ['mailbox', 'code'] });
  const lastErrorAt = new Map<string, Date>();
  return (status) => {
    const labels = { mailbox: status.mailboxId };
    connected.set(labels, status.connected ? 1 : 0);
    backlog.set(labels, status.backlog);
    processed.set(labels, status.processed);
    tooLarge.set(labels, status.tooLarge);
    standby.set(labels, status.state === 'standby' ? 1 : 0);
    if (status.lastError && lastErrorAt.get(status.mailboxId) !== status.lastError.at) {
      lastErrorAt.set(status.mailboxId, status.lastError.at);
      errors.inc({ ...labels, code: status.lastError.code });
    }
  };
}
