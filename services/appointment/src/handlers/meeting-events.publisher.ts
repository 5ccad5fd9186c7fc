import { SUBJECTS } from '@inviteflow/contracts';
import { publish, type NatsHandle } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { Metrics } from '@inviteflow/runtime';
import { outboundRequest } from '../crm/outbound.commands';
import { copyEvents } from '../domain/copy-events';
import type { CopyResult } from './meeting.applier';

/** Publishes what one message did to one copy; the service's only way of telling the world. */
export type CopyPublisher = (mailId: string, method: string, result: CopyResult) => Promise<void>;

/**
 * Counts every decision by method and code, announces the copy's changes as derived from the
 * decisions (domain/copy-events), and hands the outbound iTIP messages libs/itip asked for
 * (e.g. the REQUEST a REFRESH asks to be re-sent) to outbound-mail. Every msgID is derived
 * from the mail and the copy, so a redelivered message announces nothing twice.
 */
export function copyPublisher(nats: NatsHandle, metrics: Metrics): CopyPublisher {
  const decided = metrics.counter({ name: 'inviteflow_itip_decisions_total', help: 'Scheduling decisions by iTIP method and reason code', labelNames: ['method', 'code'] });
  return async (mailId, method, r) => {
    for (const d of r.decisions) decided.inc({ method: method.toUpperCase(), code: d.code });
    const id = r.meeting?.id ?? '';
    const base = { appointmentId: id, associateId: r.owner.associateId, uid: r.meeting?.uid ?? '', mailId };
    // Only a saved change is news about the copy (a REFRESH applies without changing it).
    for (const e of r.saved ? copyEvents(r.before, r.meeting, r.decisions) : []) {
      if (e.kind === 'scheduled') {
        const payload = eventsV1.AppointmentScheduled.encode({ ...base, recurrenceId: e.recurrenceId, sequence: e.sequence }).finish();
        await publish(nats.js, SUBJECTS.appointmentScheduledV1, payload, { msgId: `scheduled:${id}` });
        continue;
      }
      const subject = e.kind === 'cancelled' ? SUBJECTS.appointmentCancelledV1 : SUBJECTS.appointmentUpdatedV1;
      const payload = eventsV1.AppointmentChanged.encode({ ...base, recurrenceId: e.recurrenceId, sequence: e.sequence, reason: e.reason, changes: e.changes }).finish();
      await publish(nats.js, subject, payload, { msgId: `${e.kind}:${id}:${mailId}:${e.recurrenceId}:${e.reason}` });
    }
    for (const [i, msg] of r.outbound.entries()) {
      // One command per external recipient, built as the CRM's are; associates are updated in
      // place, never mailed (domain.md §2).
      const ctx = { auditMailId: mailId, meetingId: id, now: new Date(), actor: { owner: r.owner, name: '', address: r.owner.address } };
      for (const { address } of msg.recipients.filter((x) => !x.internal)) {
        const requestId = `${mailId}:${id}:${i}:${address}`;
        const payload = eventsV1.OutboundRequested.encode(outboundRequest(msg, requestId, address, new Map(), ctx)).finish();
        await publish(nats.js, SUBJECTS.mailOutboundRequestedV1, payload, { msgId: `outbound:${requestId}` });
      }
    }
  };
}
