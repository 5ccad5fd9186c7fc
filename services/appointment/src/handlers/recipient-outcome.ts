import type { RecipientOutcome } from '../domain/outcome.summary';
import { outcomeOf, type CopyResult } from './meeting.applier';

/** One recipient's audit entry from what the message did to their copy. */
export function recipientOutcome(r: CopyResult): RecipientOutcome {
  return {
    address: r.owner.address, associateId: r.owner.associateId, meetingId: r.meeting?.id ?? '',
    outcome: outcomeOf(r.decisions), decisions: r.decisions,
  };
}
