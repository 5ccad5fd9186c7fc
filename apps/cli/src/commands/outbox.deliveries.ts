// The delivery side of `inviteflow outbox` and `status`: outbound-mail's records of each mail
// (one per command and recipient) through its OutboundService, and how a state reads in a table.
import { outboundV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import { CLI_DEADLINE_MS, outboundClient } from '../grpc-clients';

export interface DeliveryView {
  id: string;
  requestId: string;
  recipient: string;
  state: string;
  attempts: number;
  nextAttemptAt: string | null;
  messageId: string;
  relayResponse: string;
  lastError: string;
  failureCode: string;
  smtpCode: number;
  uid: string;
  method: string;
  sequence: number;
  recurrenceId: string;
}

/** Deliveries of one UID (or all), or why they could not be had; never throws. */
export async function fetchDeliveries(address: string, uid: string | undefined, limit: number): Promise<{ deliveries: DeliveryView[]; truncated: boolean } | { error: string }> {
  const client = outboundClient(address);
  try {
    const res = await callUnary<outboundV1.ListDeliveriesResponse>((md, o, cb) => client.listDeliveries({ uid: uid ?? '', requestId: '', limit: Math.min(limit, 10_000) }, md, o, cb), CLI_DEADLINE_MS);
    return { deliveries: res.deliveries.map(view), truncated: res.truncated };
  } catch (err) {
    return { error: `outbound-mail at ${address} did not answer (${(err as { details?: string }).details ?? (err as Error).message})` };
  } finally {
    client.close();
  }
}

/** Deliveries per state, or why they could not be had; never throws. */
export async function fetchDeliveryCounts(address: string): Promise<{ counts: Record<string, number>; deliveryEnabled: boolean } | { error: string }> {
  const client = outboundClient(address);
  try {
    const res = await callUnary<outboundV1.CountDeliveriesResponse>((md, o, cb) => client.countDeliveries({}, md, o, cb), CLI_DEADLINE_MS);
    return { counts: Object.fromEntries(res.counts.map((c) => [c.state, c.count])), deliveryEnabled: res.deliveryEnabled };
  } catch (err) {
    return { error: `outbound-mail at ${address} did not answer (${(err as { details?: string }).details ?? (err as Error).message})` };
  } finally {
    client.close();
  }
}

function view(d: outboundV1.Delivery): DeliveryView {
  return {
    id: d.id, requestId: d.requestId, recipient: d.recipient, state: d.state, attempts: d.attempts, nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    messageId: d.messageId, relayResponse: d.relayResponse, lastError: d.lastError, failureCode: d.failureCode, smtpCode: d.smtpCode,
    uid: d.uid, method: d.method, sequence: d.sequence, recurrenceId: d.recurrenceId,
  };
}

/** One line on a delivery's state: the next attempt when deferred, the relay's answer when sent, why when failed. */
export function deliveryDetail(d: DeliveryView): string {
  switch (d.state) {
    case 'deferred':
      return `next attempt ${d.nextAttemptAt ?? '?'} (attempt ${d.attempts} got: ${d.lastError})`;
    case 'sent':
      return `${d.relayResponse} (attempt ${d.attempts}, ${d.messageId})`;
    case 'failed':
      return `${d.failureCode}: ${d.lastError} (after ${d.attempts} attempt(s))`;
    case 'sending':
      return `attempt ${d.attempts} in progress`;
    default:
      return d.nextAttemptAt ? `due ${d.nextAttemptAt}` : '';
  }
}
