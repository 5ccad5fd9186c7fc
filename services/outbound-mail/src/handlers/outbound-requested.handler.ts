import { eventsV1 } from '@inviteflow/proto-gen';
import { decodeEvent } from '@inviteflow/messaging';
import { AppError } from '@inviteflow/runtime';
import type { OutboundRequestRepository } from '../data/outbound-request.repository';
import type { DeliveryService } from '../delivery/delivery.service';

export interface OutboundRequestedDeps {
  repo: OutboundRequestRepository;
  /** Absent when no relay is configured: deliveries are recorded as queued and wait. */
  delivery?: { service: DeliveryService; enabled: boolean };
  now: () => Date;
  log: { info(o: object, m?: string): void };
}

/**
 * One command on mail.outbound-requested.v1: records it, records one delivery per recipient
 * (insert-if-absent on `<requestId>:<recipient>`, so a redelivered command finds them), and
 * attempts each at once when delivery is on. A temporary SMTP failure is not an error here: the
 * delivery is deferred in MongoDB and the scheduler retries it; the command is acked. Only
 * MongoDB or NATS failing throws, and the redelivery resumes where this one stopped.
 */
export function onOutboundRequested(deps: OutboundRequestedDeps) {
  return async (data: Uint8Array): Promise<void> => {
    const req = decodeEvent(eventsV1.OutboundRequested, data, 'mail.outbound-requested.v1 payload is not an OutboundRequested');
    if (!req.requestId) throw new AppError({ code: 'INVALID_ARGUMENT', message: 'outbound request without requestId', retryable: false });
    const outcome = await deps.repo.record({
      _id: req.requestId, method: req.method, uid: req.uid, sequence: req.sequence, recipients: req.recipients,
      calendar: req.calendar, state: 'queued', receivedAt: deps.now(),
    });
    deps.log.info({ requestId: req.requestId, outcome }, 'outbound request recorded');
    if (!deps.delivery) return;
    const queued = await deps.delivery.service.enqueue(req, data);
    if (!deps.delivery.enabled) return;
    for (const delivery of queued) await deps.delivery.service.attempt(delivery);
  };
}
