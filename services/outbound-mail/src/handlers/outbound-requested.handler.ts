import { eventsV1 } from '@inviteflow/proto-gen';
import { decodeEvent } from '@inviteflow/messaging';
import { AppError } from '@inviteflow/runtime';
import type { OutboundRequestRepository } from '../data/outbound-request.repository';

export function onOutboundRequested(deps: { repo: OutboundRequestRepository; now: () => Date; log: { info(o: object, m?: string): void } }) {
  return async (data: Uint8Array): Promise<void> => {
    const req = decodeEvent(eventsV1.OutboundRequested, data, 'mail.outbound-requested.v1 payload is not an OutboundRequested');
    if (!req.requestId) throw new AppError({ code: 'INVALID_ARGUMENT', message: 'outbound request without requestId', retryable: false });
    const outcome = await deps.repo.record({
      _id: req.requestId, method: req.method, uid: req.uid, sequence: req.sequence, recipients: req.recipients,
      calendar: req.calendar, state: 'queued', receivedAt: deps.now(),
    });
    deps.log.info({ requestId: req.requestId, outcome }, 'outbound request recorded');
  };
}
