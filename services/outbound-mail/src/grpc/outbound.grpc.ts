import { outboundV1 } from '@inviteflow/proto-gen';
import { RpcLogger, unaryHandler } from '@inviteflow/rpc';
import { AppError } from '@inviteflow/runtime';
import { DELIVERY_STATES, type DeliveryDoc, type DeliveryRepository } from '../data/delivery.repository';

export interface OutboundGrpcDeps {
  deliveries: DeliveryRepository;
  /** Whether a relay is configured (else deliveries stay queued). */
  deliveryEnabled: boolean;
  log: RpcLogger;
}

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

/** The outbox's look-ups over the delivery records (`inviteflow outbox`, `inviteflow status`). */
export function outboundGrpcImplementation(deps: OutboundGrpcDeps): outboundV1.OutboundServiceServer {
  return {
    listDeliveries: unaryHandler(deps.log, 'ListDeliveries', (req: outboundV1.ListDeliveriesRequest) => listDeliveries(deps, req)),
    countDeliveries: unaryHandler(deps.log, 'CountDeliveries', async () => {
      const counts = await deps.deliveries.countByState();
      return { counts: DELIVERY_STATES.map((state) => ({ state, count: counts[state] })), deliveryEnabled: deps.deliveryEnabled };
    }),
  };
}

async function listDeliveries(deps: OutboundGrpcDeps, req: outboundV1.ListDeliveriesRequest): Promise<outboundV1.ListDeliveriesResponse> {
  const limit = req.limit || DEFAULT_LIMIT;
  if (limit < 1 || limit > MAX_LIMIT) throw new AppError({ code: 'INVALID_ARGUMENT', message: `limit must be 1-${MAX_LIMIT}, got ${limit}`, retryable: false });
  // One more than asked, to say whether there were more.
  const docs = await deps.deliveries.list({ uid: req.uid, requestId: req.requestId }, limit + 1);
  return { deliveries: docs.slice(0, limit).map(toDelivery), truncated: docs.length > limit };
}

export function toDelivery(d: DeliveryDoc): outboundV1.Delivery {
  return {
    id: d._id, requestId: d.requestId, recipient: d.recipient, uid: d.uid, method: d.method, sequence: d.sequence, recurrenceId: d.recurrenceId,
    state: d.state, attempts: d.attempts, nextAttemptAt: d.state === 'sent' || d.state === 'failed' ? undefined : d.nextAttemptAt,
    messageId: d.messageId ?? '', relayResponse: d.relayResponse ?? '', lastError: d.lastError ?? '', failureCode: d.failureCode ?? '',
    smtpCode: d.smtpCode ?? 0, createdAt: d.createdAt, updatedAt: d.updatedAt, eventPublished: d.eventPublished,
  };
}
