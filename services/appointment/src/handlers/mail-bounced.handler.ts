// mail.bounced.v1 (issue 11 §5): a bounce (DSN) of one of our invitations marks those attendees'
// delivery failed on the organizer's copy (libs/itip recordDeliveryFailures) and records it in
// the meeting's history, where `meeting history` and `explain <DSN mail id>` show it.
import { recordDeliveryFailures, type DeliveryFailureResult, type Meeting } from '@inviteflow/itip';
import { decodeEvent } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { AppError, type Logger } from '@inviteflow/runtime';
import type { MeetingRepository } from '../data/meeting.repository';
import type { OutcomeRepository, RecipientOutcome } from '../data/outcome.repository';
import { copyOutbox, type CopyPublisher } from './meeting-events.publisher';
import { MAX_CONFLICT_RETRIES, outboxOf } from './meeting.applier';

export interface MailBouncedDeps {
  meetings: Pick<MeetingRepository, 'load' | 'listByUid' | 'save'>;
  outcomes: Pick<OutcomeRepository, 'record'>;
  publishCopy: CopyPublisher;
  log: Pick<Logger, 'info'>;
  now: () => Date;
}

/** The audit's method for a bounce: not an iTIP method, so it never reads as one. */
export const BOUNCE_METHOD = 'BOUNCE';

export function onMailBounced(deps: MailBouncedDeps) {
  return async ({ data }: { data: Uint8Array }): Promise<void> => {
    const bounce = decodeEvent(eventsV1.MailBounced, data, 'mail.bounced.v1 payload is not a valid MailBounced');
    if (!bounce.uid) {
      // Only the returned calendar ties a bounce to a meeting (a RET=HDRS bounce has none).
      deps.log.info({ mailId: bounce.mailId, messageId: bounce.originalMessageId, failed: bounce.failed.length }, 'bounce without a returned calendar: no meeting to mark');
      return;
    }
    const organizerCopies = (await deps.meetings.listByUid(bounce.uid)).filter((m) => m.role === 'organizer');
    if (organizerCopies.length === 0) {
      deps.log.info({ mailId: bounce.mailId, uid: bounce.uid }, 'bounce for a meeting nobody here organizes');
      return;
    }
    const entries: RecipientOutcome[] = [];
    for (const copy of organizerCopies) entries.push(...entriesOf(copy, await markCopy(deps, copy, bounce)));
    // Set, not pushed: a redelivered bounce writes the same record again.
    await deps.outcomes.record({ mailId: bounce.mailId, uid: bounce.uid, method: BOUNCE_METHOD, recipients: entries, arrival: 0, recordedAt: deps.now() });
  };
}

/**
 * Marks one organizer copy under the version guard, saving the appointment.updated.v1 it produces
 * with the change (the copy's outbox, as applyToCopy does): a crash or a failed publish after the
 * save loses no event — the redelivered bounce finds the copy already marked (nothing changes)
 * but still hands on what waits in the outbox, and so does the periodic re-check.
 */
async function markCopy(deps: MailBouncedDeps, first: Meeting, bounce: eventsV1.MailBounced): Promise<DeliveryFailureResult> {
  const report = { messageId: bounce.originalMessageId, sequence: bounce.sequence, failed: bounce.failed };
  const owner = { associateId: first.owner.associateId, address: first.organizer.address, addresses: first.owner.addresses, timeZone: first.owner.timeZone };
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const loaded = await deps.meetings.load(first.owner.associateId, first.uid);
    if (!loaded) break;
    const { meeting: stored, pending: left } = loaded;
    const now = deps.now();
    const result = recordDeliveryFailures(stored, report);
    // One decision for the whole report: one appointment.updated.v1 listing every DELIVERY_FAILED:<address>.
    const base = { owner, before: stored, decisions: [result.decision], outbound: [] };
    if (!result.changed) {
      await deps.publishCopy(bounce.mailId, BOUNCE_METHOD, { ...base, meeting: stored, saved: false, unstored: [], ...outboxOf(stored.id, stored.version, left) });
      return result;
    }
    const fresh = copyOutbox({ mailId: bounce.mailId, owner, before: stored, after: result.next, decisions: base.decisions, outbound: [], changed: true, now });
    if ((await deps.meetings.save(result.next, stored.version, now, fresh)) === 'saved') {
      const version = stored.version + 1;
      await deps.publishCopy(bounce.mailId, BOUNCE_METHOD, { ...base, meeting: { ...result.next, version }, saved: true, unstored: [], ...outboxOf(stored.id, version, [...left, ...fresh]) });
      return result;
    }
  }
  throw new AppError({ code: 'APPOINTMENT_WRITE_CONFLICT', retryable: true, message: `meeting ${first.id}: bounce still conflicting after ${MAX_CONFLICT_RETRIES} version-guarded attempts` });
}

/** One audit entry per failed recipient (the attendee that bounced), with its own decision. */
function entriesOf(copy: Meeting, result: DeliveryFailureResult): RecipientOutcome[] {
  return result.recipients.map((r) => ({ address: r.recipient, associateId: copy.owner.associateId, meetingId: copy.id, outcome: r.decision.code, decisions: [r.decision] }));
}
