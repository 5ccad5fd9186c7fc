// The owner's diary entries of one copy in a time window (issue 9): every instance that starts in
// [from, to) — the series' occurrences minus EXDATEs and cancelled instances, overrides in place
// of their occurrence, RANGE=THISANDFUTURE overrides carried to the later occurrences (RFC 5545
// §3.8.4.4) — each with the owner's diary status (domain.md §2). Pure: the window comes in.
import type { Component, Meeting } from './meeting.model';
import { instanceTombstone } from './meeting-state';
import { diaryStatus, type DiaryStatus } from './own-answer';
import { DEFAULT_LIMITS, seriesOccurrences, seriesZone, type ExpansionLimits, type Occurrence } from './recurrence';
import { wallClockMs, wallToUtcMs } from './zone-time';

export interface DiaryWindow {
  /** ISO 8601 instants; an instance is in the window when its start is in [from, to). */
  from: string;
  to: string;
}

export interface ExpandOptions extends Partial<ExpansionLimits> {
  /** Also list instances cancelled by an instance CANCEL, with status 'cancelled' (the CRM keeps them). */
  includeCancelled?: boolean;
}

export interface DiaryInstance {
  /** RECURRENCE-ID as a UTC instant; '' for a meeting that does not recur. */
  recurrenceId: string;
  start: string;
  end: string;
  allDay: boolean;
  status: DiaryStatus;
  summary: string;
  location: string;
  conferenceUrl: string;
  /** Its details come from an override (the instance itself, or a THISANDFUTURE one before it). */
  overridden: boolean;
}

export interface Expansion {
  instances: DiaryInstance[];
  /** A limit (ExpansionLimits) cut the list short. */
  truncated: boolean;
  /** Rules not expanded; the copy should carry RECURRENCE_PATTERN_NOT_SUPPORTED. */
  unsupported: string[];
}

interface Shift {
  from: Component;
  /** Wall-clock shift of DTSTART in the series' zone, and the new duration. */
  wallShiftMs: number;
  durationMs: number;
}

export function expandInstances(m: Meeting, window: DiaryWindow, options: ExpandOptions = {}): Expansion {
  const limits = { ...DEFAULT_LIMITS, ...options };
  const fromMs = Date.parse(window.from);
  const toMs = Date.parse(window.to);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new TypeError(`expandInstances: window ${window.from}–${window.to} is not two ISO instants`);
  const master = m.master && (options.includeCancelled ? withoutCancelledExdates(m, m.master) : m.master);
  const shifts = master ? rangeShifts(m, master) : [];
  // A THISANDFUTURE shift can carry occurrences into (or out of) the window: widen the walk by it.
  const reach = Math.max(0, ...shifts.map((s) => Math.abs(s.wallShiftMs) + 2 * 3_600_000));
  const found = master ? seriesOccurrences(master, { fromMs: fromMs - reach, toMs: toMs + reach }, limits) : { occurrences: [], truncated: false, unsupported: [] };
  const fromRule = master ? found.occurrences.filter((o) => !m.overrides[o.recurrenceId]).map((o) => ruleInstance(m, master, o, shifts)) : [];
  const excluded = new Set((master?.exdate ?? []).map((d) => Date.parse(d)));
  const fromOverrides = Object.values(m.overrides).filter((o) => !excluded.has(Date.parse(o.recurrenceId))).map((o) => instanceOf(m, o, o.recurrenceId, true));
  const inWindow = [...fromRule, ...fromOverrides]
    .filter((i) => Date.parse(i.start) >= fromMs && Date.parse(i.start) < toMs)
    .filter((i) => options.includeCancelled || m.status === 'cancelled' || !i.recurrenceId || !instanceTombstone(m, i.recurrenceId))
    .sort((a, b) => (a.start === b.start ? (a.recurrenceId < b.recurrenceId ? -1 : 1) : a.start < b.start ? -1 : 1));
  const truncated = found.truncated || inWindow.length > limits.maxInstances;
  return { instances: inWindow.slice(0, limits.maxInstances), truncated, unsupported: found.unsupported };
}

/**
 * An instance the organizer cancelled is an EXDATE of the series *and* a tombstone (planChange
 * stores both, so a later REQUEST still excludes it). The CRM keeps cancelled instances
 * listed: with includeCancelled such an occurrence comes back, marked cancelled by its tombstone;
 * an EXDATE without one (never part of the series) stays out.
 */
function withoutCancelledExdates(m: Meeting, master: Component): Component {
  const exdate = master.exdate.filter((d) => !m.tombstones[new Date(Date.parse(d)).toISOString()]);
  return exdate.length === master.exdate.length ? master : { ...master, exdate };
}

/** RFC 5545 §3.8.4.4: each THISANDFUTURE override shifts DTSTART (and sets the duration) for later occurrences. */
function rangeShifts(m: Meeting, master: Component): Shift[] {
  const zone = seriesZone(master);
  const wall = (iso: string): number => (zone ? wallClockMs(zone, Date.parse(iso)) : Date.parse(iso));
  return Object.values(m.overrides)
    .filter((o) => o.range === 'THISANDFUTURE' && o.start)
    .sort((a, b) => (a.recurrenceId < b.recurrenceId ? -1 : 1))
    .map((o) => ({ from: o, wallShiftMs: wall(o.start) - wall(o.recurrenceId), durationMs: Date.parse(o.end) - Date.parse(o.start) }));
}

/** An occurrence without its own override: the master's details, or the governing THISANDFUTURE override's, shifted. */
function ruleInstance(m: Meeting, master: Component, o: Occurrence, shifts: Shift[]): DiaryInstance {
  const rid = master.rrule.length || master.rdate.length ? o.recurrenceId : '';
  const governing = [...shifts].reverse().find((s) => s.from.recurrenceId < o.recurrenceId);
  if (!governing) {
    const duration = Date.parse(master.end) - Date.parse(master.start);
    const end = o.end ?? new Date(Date.parse(o.recurrenceId) + (Number.isNaN(duration) ? 0 : duration)).toISOString();
    return instanceOf(m, { ...master, start: o.recurrenceId, end }, rid, false);
  }
  const zone = seriesZone(master);
  const wallMs = (zone ? wallClockMs(zone, Date.parse(o.recurrenceId)) : Date.parse(o.recurrenceId)) + governing.wallShiftMs;
  const startMs = zone ? wallToUtcMs(zone, wallMs) : wallMs;
  const start = new Date(startMs).toISOString();
  return instanceOf(m, { ...governing.from, start, end: new Date(startMs + governing.durationMs).toISOString() }, rid, true);
}

function instanceOf(m: Meeting, c: Component, rid: string, overridden: boolean): DiaryInstance {
  const cancelled = c.status === 'CANCELLED' || (rid !== '' && instanceTombstone(m, rid) !== undefined);
  const own = m.ownAnswers[rid] ?? m.ownAnswers[''];
  // Rescheduled after the owner answered: the override is of a later SEQUENCE and moves the instance.
  const moved = overridden && own !== undefined && c.version.sequence > own.sequence && c.start !== rid;
  return {
    recurrenceId: rid, start: c.start, end: c.end, allDay: c.allDay, status: diaryStatus(m, rid, cancelled, moved),
    summary: c.summary, location: c.location, conferenceUrl: c.conference?.url ?? '', overridden,
  };
}
