// Derived parts of a copy, recomputed after every change so the stored document is a function of
// the messages applied, not of their order (issue 9: any delivery order converges).
import type { Component, Meeting, Tombstone } from './meeting.model';
import { compareVersions, isNewer, newest } from './versions';
import type { ApplyContext } from './context';
import { phantomRecurrenceIds } from './instance-check';

export function emptyMeeting(uid: string, role: Meeting['role'], ctx: ApplyContext): Meeting {
  return {
    id: ctx.newMeetingId, uid, owner: ctx.owner, role, status: 'active',
    organizer: { address: '', name: '', sentBy: '' },
    overrides: {}, tombstones: {}, instanceAnswers: {}, proposals: [], declinedCounters: [], cautions: [], ownAnswers: {},
    tentative: role === 'attendee', createdAt: ctx.now, version: 0,
  };
}

export function components(m: Meeting): Component[] {
  return [...(m.master ? [m.master] : []), ...Object.keys(m.overrides).sort().map((k) => m.overrides[k]!)];
}

/** The whole meeting is cancelled when its newest CANCEL is newer than every component. */
export function wholeCancelled(m: Meeting): boolean {
  const whole = m.tombstones[''];
  if (!whole) return false;
  return isNewer(whole.version, newest(components(m).map((c) => c.version)));
}

/** An instance is cancelled by a tombstone newer than its own override (if any). */
export function instanceTombstone(m: Meeting, recurrenceId: string): Tombstone | undefined {
  const direct = m.tombstones[recurrenceId];
  const ranged = Object.values(m.tombstones).filter((t) => t.recurrenceId && t.range === 'THISANDFUTURE' && t.recurrenceId <= recurrenceId);
  const override = m.overrides[recurrenceId];
  return [direct, ...ranged].find((t) => t && (!override || isNewer(t.version, override.version)));
}

/**
 * Recomputes status and drops state that newer messages superseded: answers older than the
 * version they answer (a significant change bumps SEQUENCE and voids them, RFC 5546 §2.1.4),
 * overrides older than the master that replaced the series, instance tombstones an override
 * outdates. Idempotent.
 */
export function normalise(m: Meeting): Meeting {
  const next: Meeting = { ...m, overrides: { ...m.overrides }, tombstones: { ...m.tombstones }, instanceAnswers: {} };
  for (const [rid, t] of Object.entries(next.tombstones)) {
    const o = next.overrides[rid];
    if (rid && o && compareVersions(o.version, t.version) >= 0) delete next.tombstones[rid];
    // A newer series version (RFC 5546 §3.2.2: the whole object) supersedes older instance cancels, as it does overrides.
    else if (rid && next.master && t.version.sequence < next.master.version.sequence) delete next.tombstones[rid];
  }
  dropPhantoms(next);
  // A newer REQUEST revived the meeting: its CANCEL no longer says anything.
  if (next.tombstones[''] && components(next).length > 0 && !wholeCancelled(next)) delete next.tombstones[''];
  if (next.master) next.master = { ...next.master, attendees: next.master.attendees.map((a) => voidOldAnswer(a, floorSequence(next, ''))) };
  const phantoms = next.master ? phantomRecurrenceIds(next.master, Object.keys(m.instanceAnswers)) : new Set<string>();
  for (const [rid, answers] of Object.entries(m.instanceAnswers)) {
    const floor = floorSequence(next, rid);
    const phantom = (a: { version: { sequence: number } }): boolean => phantoms.has(rid) && a.version.sequence <= (next.master?.version.sequence ?? 0);
    const kept = Object.fromEntries(Object.entries(answers).filter(([, a]) => a.version.sequence >= floor && !phantom(a)));
    if (Object.keys(kept).length) next.instanceAnswers[rid] = kept;
  }
  next.status = wholeCancelled(next) ? 'cancelled' : 'active';
  return { ...next, overrides: sortedRecord(next.overrides), tombstones: sortedRecord(next.tombstones), instanceAnswers: sortedRecord(next.instanceAnswers) };
}

/**
 * Overrides and instance CANCELs of the stored series' version or older whose RECURRENCE-ID the
 * series does not have (instance-check.ts): accepted while an older series was stored, refused
 * had the series come first — dropped, so delivery order does not matter.
 */
function dropPhantoms(m: Meeting): void {
  const master = m.master;
  if (!master) return;
  const judged = (rid: string, sequence: number): boolean => rid !== '' && sequence <= master.version.sequence;
  const overrides = Object.keys(m.overrides).filter((rid) => judged(rid, m.overrides[rid]!.version.sequence) && !m.overrides[rid]!.added);
  const tombstones = Object.keys(m.tombstones).filter((rid) => judged(rid, m.tombstones[rid]!.version.sequence));
  const phantoms = phantomRecurrenceIds(master, [...new Set([...overrides, ...tombstones])]);
  for (const rid of overrides) if (phantoms.has(rid)) delete m.overrides[rid];
  for (const rid of tombstones) if (phantoms.has(rid)) delete m.tombstones[rid];
}

/** Records keyed by instant, in key order, so equal states are stored byte-for-byte equal. */
function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The SEQUENCE an answer about `rid` must reach (RFC 5546 §2.1.5): its component's, or the CANCEL's. */
export function floorSequence(m: Meeting, rid: string): number {
  const own = rid ? m.overrides[rid] ?? m.master : m.master;
  const instanceCancel = rid ? instanceTombstone(m, rid)?.version.sequence ?? 0 : 0;
  return Math.max(own?.version.sequence ?? 0, m.tombstones['']?.version.sequence ?? 0, instanceCancel);
}

function voidOldAnswer<A extends { answer?: { version: { sequence: number } } }>(a: A, floor: number): A {
  if (!a.answer || a.answer.version.sequence >= floor) return a;
  const { answer: _dropped, ...rest } = a;
  return rest as A;
}
