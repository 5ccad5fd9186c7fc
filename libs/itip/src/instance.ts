// One occurrence of a series as a component of its own (RFC 5545 §3.8.4.4): what an override of
// it starts from, what a CANCEL or REPLY for it carries, what a new override is compared with.
import type { Component } from './meeting.model';

/** The occurrence of `master` at `recurrenceId` (an instant): the series' details, its own start and end, no rule. */
export function instanceOf(master: Component, recurrenceId: string): Component {
  const duration = Date.parse(master.end) - Date.parse(master.start);
  const startMs = Date.parse(recurrenceId);
  const end = Number.isNaN(duration) || Number.isNaN(startMs) ? master.end : new Date(startMs + duration).toISOString();
  const { added: _added, ...rest } = master;
  return { ...rest, recurrenceId, range: '', start: recurrenceId, end, rrule: [], rdate: [], exdate: [] };
}
