import type { Db } from 'mongodb';
import { publish, type NatsHandle } from '@inviteflow/messaging';
import type { Logger, ShutdownStep } from '@inviteflow/runtime';
import type { AppointmentConfig } from './config';
import type { MeetingRepository } from './data/meeting.repository';
import type { OutcomeRepository } from './data/outcome.repository';
import { PendingOutboundRepository } from './data/pending-outbound.repository';
import { OUTBOX_RECHECK_MIN_AGE_MS, OutboundFlusher } from './crm/outbound.flusher';
import type { CopyPublisher } from './handlers/meeting-events.publisher';

/**
 * The CRM commands' hand-on (issue 10 §1): the flusher the RPCs use right after saving a change,
 * and a periodic re-check (every PARKED_RECHECK_MS, like parked invites) that republishes what a
 * crash or a NATS outage left in a copy's outbox — CRM commands, and the events and mails of
 * inbound messages (handlers/meeting-events.publisher) — under the same msg ids.
 */
export function startCrm(opts: {
  config: AppointmentConfig; db: Db; nats: NatsHandle; meetings: MeetingRepository; outcomes: OutcomeRepository; publishCopy: CopyPublisher; log: Logger; now: () => Date;
}): { flusher: OutboundFlusher; steps: ShutdownStep[] } {
  const { log } = opts;
  const flusher = new OutboundFlusher({
    meetings: opts.meetings, outcomes: opts.outcomes, publishCopy: opts.publishCopy, now: opts.now, log,
    pendingRepo: new PendingOutboundRepository(opts.db),
    publish: async (subject, payload, msgId) => void (await publish(opts.nats.js, subject, payload, { msgId })),
  });
  let sweeping = false;
  const timer = opts.config.parkedRecheckMs > 0
    ? setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      flusher.sweep(OUTBOX_RECHECK_MIN_AGE_MS)
        .then((n) => n > 0 && log.info({ handedOn: n }, 'CRM commands left on their copies handed on by the periodic re-check'))
        .catch((err: unknown) => log.warn({ err, code: 'OUTBOUND_FLUSH_FAILED' }, 'CRM outbound re-check failed; next round retries'))
        .finally(() => { sweeping = false; });
    }, opts.config.parkedRecheckMs)
    : undefined;
  timer?.unref();
  return { flusher, steps: [{ name: 'crm-recheck-stop', run: async () => clearInterval(timer) }] };
}
