// mail.sent.v1 / mail.failed.v1: one event per finished delivery. The msgID is the delivery's
// identity, so a publish repeated inside the stream's duplicate window is stored once; the
// record's `eventPublished` covers the rest (a process that died between the publish and the
// mark republishes at most once more, within the window, where the msgID drops it).
import { SUBJECTS } from '@inviteflow/contracts';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { DeliveryDoc } from '../data/delivery.repository';

export interface DeliveryEvent {
  subject: string;
  msgId: string;
  payload: Uint8Array;
}

/** The event a finished delivery announces; undefined while it is not finished. */
export function deliveryEvent(d: DeliveryDoc): DeliveryEvent | undefined {
  const common = { requestId: d.requestId, recipient: d.recipient, uid: d.uid, method: d.method, sequence: d.sequence, recurrenceId: d.recurrenceId, messageId: d.messageId ?? '', attempts: d.attempts };
  if (d.state === 'sent') {
    const e = eventsV1.MailSent.fromPartial({ ...common, relayResponse: d.relayResponse ?? '', sentAt: d.sentAt ?? d.updatedAt });
    return { subject: SUBJECTS.mailSentV1, msgId: `sent:${d._id}`, payload: eventsV1.MailSent.encode(e).finish() };
  }
  if (d.state === 'failed') {
    const e = eventsV1.MailFailed.fromPartial({ ...common, code: d.failureCode ?? '', reason: d.lastError ?? '', smtpCode: d.smtpCode ?? 0, failedAt: d.failedAt ?? d.updatedAt });
    return { subject: SUBJECTS.mailFailedV1, msgId: `failed:${d._id}`, payload: eventsV1.MailFailed.encode(e).finish() };
  }
  return undefined;
}
