// The copy owner answers (in the CRM): recorded per instance, never as a new override, so that
// accepting a series does not turn it into an exception (nextcloud/server#45497). planChange
// then turns the answer into the REPLY to send.
import type { Meeting } from './meeting.model';

export function recordOwnAnswer(m: Meeting, partstat: string, recurrenceId: string, now: string): Meeting {
  const previous = m.ownAnswers[recurrenceId];
  const component = recurrenceId ? m.overrides[recurrenceId] ?? m.master : m.master;
  const history = previous ? [...previous.history, { partstat: previous.partstat, answeredAt: previous.answeredAt }] : [];
  const answer = { partstat, sequence: component?.version.sequence ?? 0, answeredAt: now, start: recurrenceId || component?.start || '', moved: false, history };
  return { ...m, tentative: false, ownAnswers: { ...m.ownAnswers, [recurrenceId]: answer } };
}

/** The diary status of one instance (domain.md §2): invited, tentative, accepted, declined, moved, cancelled. */
export type DiaryStatus = 'invited' | 'tentative' | 'accepted' | 'declined' | 'moved' | 'cancelled';

/**
 * `movedSinceAnswer`: the instance was rescheduled after the answer `ownAnswers` holds for it
 * (e.g. an override of a later SEQUENCE moved one occurrence of an accepted series).
 */
export function diaryStatus(m: Meeting, recurrenceId: string, isCancelled: boolean, movedSinceAnswer = false): DiaryStatus {
  if (m.status === 'cancelled' || isCancelled) return 'cancelled';
  const own = m.ownAnswers[recurrenceId] ?? m.ownAnswers[''];
  if (!own) return m.tentative ? 'tentative' : 'invited';
  if (own.moved || (movedSinceAnswer && own.partstat !== 'NEEDS-ACTION')) return 'moved';
  if (own.partstat === 'ACCEPTED') return 'accepted';
  if (own.partstat === 'DECLINED') return 'declined';
  return own.partstat === 'TENTATIVE' ? 'tentative' : 'invited';
}
