// mail.bounced.v1 (issue 11 §5): a bounce (DSN) of one of our invitations marks those attendees'
// delivery failed on the organizer's copy (libs/itip recordDeliveryFailures) and records it in
// the meeting's history, where `meeting history` and `explain <DSN mail id>` show it.
import { recordDeliveryFailures, type DeliveryFailureResult, type Meeting } from '@inviteflow/itip';
import { decodeEvent } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { AppError, type Logger } from '@inviteflow/runtime';
import type { MeetingRepository } from '../data/meeting.repository';
import type { OutcomeRepository, RecipientOutcome } from '../data/outcome.repository';
import type { CopyPublisher } from './meeting-events.publisher';
import { MAX_CONFLICT_RETRIES } from './meeting.applier';

export interface MailBouncedDeps {
  meetings: Pick<MeetingRepository, 'find' | 'listByUid' | 'save'>;
  outcomes: Pick<OutcomeRepository, 'record'>;
  publishCopy: CopyPublisher;
  log: Logger;
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

async function markCopy(deps: MailBouncedDeps, first: Meeting, bounce: eventsV1.MailBounced): Promise<DeliveryFailureResult> {
  let stored: Meeting | undefined = first;
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES && stored; attempt++) {
    const result = recordDeliveryFailures(stored, { messageId: bounce.originalMessageId, sequence: bounce.sequence, failed: bounce.failed });
    const saved = result.changed ? (await deps.meetings.save(result.next, stored.version, deps.now())) === 'saved' : false;
    if (!result.changed || saved) {
      const meeting = saved ? { ...result.next, version: stored.version + 1 } : stored;
      const owner = { associateId: stored.owner.associateId, address: stored.organizer.address, addresses: stored.owner.addresses, timeZone: stored.owner.timeZone };
      // One decision for the whole report: one appointment.updated.v1 listing every DELIVERY_FAILED:<address>.
      await deps.publishCopy(bounce.mailId, BOUNCE_METHOD, { owner, meeting, before: stored, decisions: [result.decision], outbound: [], saved });
      return result;
    }
    stored = await deps.meetings.find(stored.owner.associateId, stored.uid);
  }
  throw new AppError({ code: 'APPOINTMENT_WRITE_CONFLICT', retryable: true, message: `meeting ${first.id}: bounce still conflicting after ${MAX_CONFLICT_RETRIES} version-guarded attempts` });
}

/** One audit entry per failed recipient (the attendee that bounced), with its own decision. */
function entriesOf(copy: Meeting, result: DeliveryFailureResult): RecipientOutcome[] {
  return result.recipients.map((r) => ({ address: r.recipient, associateId: copy.owner.associateId, meetingId: copy.id, outcome: r.decision.code, decisions: [r.decision] }));
}
