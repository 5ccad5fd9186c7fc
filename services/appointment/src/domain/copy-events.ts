import type { Decision, Meeting } from '@inviteflow/itip';

/** An event the appointment service publishes about one copy, derived from libs/itip's decisions. */
export type CopyEvent =
  | { kind: 'scheduled'; recurrenceId: string; sequence: number }
  | { kind: 'updated' | 'cancelled'; recurrenceId: string; sequence: number; reason: string; changes: string[] };

/**
 * Pure: what subscribers hear about one message's effect on one copy. A copy that holds a
 * meeting for the first time is `scheduled` once (a CANCEL that arrived first left only a
 * tombstone: nothing to schedule); every other applied decision is `cancelled` when it cancelled
 * something, else `updated`. Nothing is announced for STALE, DUPLICATE or refused messages —
 * the events follow the decisions, never the storage result.
 */
export function copyEvents(before: Meeting | undefined, after: Meeting | undefined, decisions: Decision[]): CopyEvent[] {
  if (!after) return [];
  const sequence = after.master?.version.sequence ?? 0;
  const applied = decisions.filter((d) => d.code === 'APPLIED');
  if (applied.length === 0) return [];
  const events: CopyEvent[] = [];
  const created = !hasEvent(before) && hasEvent(after);
  if (created) events.push({ kind: 'scheduled', recurrenceId: '', sequence });
  for (const d of applied) {
    if (created && d.reason === 'CREATED' && d.recurrenceId === '') continue;
    const kind = d.changes.includes('CANCELLED') ? 'cancelled' : 'updated';
    events.push({ kind, recurrenceId: d.recurrenceId, sequence, reason: d.reason, changes: d.changes });
  }
  return events;
}

/** The copy holds a VEVENT (master or override), not only tombstones. */
function hasEvent(m: Meeting | undefined): boolean {
  return m !== undefined && (m.master !== undefined || Object.keys(m.overrides).length > 0);
}
