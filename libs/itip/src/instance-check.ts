// Is a RECURRENCE-ID an instance of the stored series? (RFC 5545 §3.8.4.4: it names "a specific
// instance of a recurring component"; RFC 5546 §3.2.2.5 / §3.2.3 / §3.2.5 address one.) A REPLY,
// CANCEL or override REQUEST for an instant the series never has would otherwise create state —
// a phantom diary entry, an answer nobody can see — so it is refused with NO_SUCH_INSTANCE.
import { decision, type Decision } from './decision';
import type { Meeting } from './meeting.model';
import type { Component } from './meeting.model';
import { occurrenceOf, seriesOccurrences } from './recurrence';

/**
 * A NO_MATCHING_MEETING / NO_SUCH_INSTANCE decision when `rid` is not an instance of the stored
 * series, else undefined. Known without expanding: an instance already overridden, cancelled or
 * answered. Not judged (accepted) when no master is stored (an override or CANCEL that came
 * before its series, or a copy invited to single instances only) or when the rule cannot be
 * expanded or a limit stops the walk ('unknown'): doubt never rejects an organizer's message.
 * Nor when the message is of a later SEQUENCE than the stored series: the series may have gained
 * that instance in a version we have not received yet (RFC 5546 §2.1.5 ordering), and refusing
 * it now would make the outcome depend on delivery order.
 */
export function noSuchInstance(m: Meeting, rid: string, method: string, sequence: number): Decision | undefined {
  if (!rid || !m.master || sequence > m.master.version.sequence) return undefined;
  if (m.overrides[rid] || m.tombstones[rid] || m.instanceAnswers[rid]) return undefined;
  if (occurrenceOf(m.master, rid) !== 'no') return undefined;
  const detail = `${method} for RECURRENCE-ID ${rid}, which is not an instance of the series (RRULE/RDATE in ${m.master.timeZone || 'UTC'}); an instance is added with METHOD:ADD or a REQUEST carrying the new RDATE (RFC 5546 §3.2.4, §3.2.2)`;
  return decision('NO_MATCHING_MEETING', 'NO_SUCH_INSTANCE', detail, rid);
}

/**
 * The RECURRENCE-IDs among `rids` that are certainly not instances of `master` (EXDATEs still
 * count): one walk of the rule up to the latest of them. Empty when the rule cannot be expanded
 * or a limit stops the walk. normalise drops such state, so that a phantom accepted while an
 * older series was stored ends up as if it had been refused.
 */
export function phantomRecurrenceIds(master: Component, rids: string[]): Set<string> {
  const instants = rids.map((r) => Date.parse(r)).filter((ms) => !Number.isNaN(ms));
  if (instants.length === 0) return new Set();
  const found = seriesOccurrences({ ...master, exdate: [] }, { fromMs: Math.min(...instants), toMs: Math.max(...instants) + 1 });
  if (found.truncated || found.unsupported.length) return new Set();
  const real = new Set(found.occurrences.map((o) => Date.parse(o.recurrenceId)));
  return new Set(rids.filter((r) => !real.has(Date.parse(r))));
}
