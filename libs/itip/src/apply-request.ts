// METHOD:REQUEST (RFC 5546 §3.2.2): create, update, reschedule — component by component, so a
// REQUEST that carries only overrides updates those instances and never replaces the series.
import type { eventsV1 } from '@inviteflow/proto-gen';
import { organizerMatches } from './authority';
import { changedProperties, isTimeChange, sameContent } from './component-diff';
import type { ApplyContext } from './context';
import { decision, type ApplyResult, type Decision } from './decision';
import { componentOf, type IncomingComponent } from './from-invite';
import type { Attendee, Caution, Component, Meeting } from './meeting.model';
import { noSuchInstance } from './instance-check';
import { emptyMeeting, normalise } from './meeting-state';
import { compareVersions, describeVersion, isNewer } from './versions';

export function applyRequest(stored: Meeting | undefined, invite: eventsV1.InviteParsed, ctx: ApplyContext): ApplyResult {
  // The master first: a REQUEST that adds an RDATE and overrides that new instance in the same
  // object is judged against the series it brings (RFC 5546 §3.2.2 carries the whole object).
  const incoming = invite.events.map((e) => componentOf(e, ctx.owner.timeZone)).sort((a, b) => Number(a.component.recurrenceId !== '') - Number(b.component.recurrenceId !== ''));
  const organizer = incoming.find((c) => c.component.organizer.address)?.component.organizer;
  if (!organizer) {
    const reason = stored ? decision('UNAUTHORISED', 'NO_ORGANIZER', 'an update without ORGANIZER: only the stored organizer changes a meeting')
      : decision('IGNORED', 'NO_ORGANIZER', 'RFC 5546 §3.2.2: a REQUEST must name its ORGANIZER');
    return { next: stored, changed: false, decisions: [reason], outbound: [] };
  }
  if (stored && !organizerMatches(stored.organizer, organizer, ctx)) {
    const d = decision('UNAUTHORISED', 'ORGANIZER_MISMATCH', `ORGANIZER ${organizer.address} is not the stored organizer ${stored.organizer.address} or their SENT-BY`);
    return { next: stored, changed: false, decisions: [d], outbound: [] };
  }
  const role = ctx.owner.addresses.includes(organizer.address) ? 'organizer' : 'attendee';
  let meeting = stored ?? { ...emptyMeeting(invite.uid, role, ctx), organizer };
  const decisions: Decision[] = [];
  for (const item of incoming) {
    const step = mergeComponent(meeting, item, invite.mailId);
    meeting = step.meeting;
    decisions.push(step.decision);
  }
  const applied = decisions.some((d) => d.code === 'APPLIED' || d.changes.length > 0);
  if (!applied) return { next: stored, changed: false, decisions, outbound: [] };
  meeting = addCautions(meeting, incoming.flatMap((i) => i.cautions));
  if (meeting.master) meeting = { ...meeting, organizer: meeting.master.organizer.address ? meeting.master.organizer : meeting.organizer };
  return { next: normalise(meeting), changed: true, decisions, outbound: [] };
}

interface Step {
  meeting: Meeting;
  decision: Decision;
}

function mergeComponent(m: Meeting, item: IncomingComponent, mailId: string): Step {
  const c = item.component;
  const rid = c.recurrenceId;
  const existing = rid ? m.overrides[rid] : m.master;
  if (rid && m.master && c.version.sequence < m.master.version.sequence) {
    return { meeting: m, decision: decision('STALE', 'SUPERSEDED_BY_SERIES', `override at ${describeVersion(c.version)} is older than the series at ${describeVersion(m.master.version)}`, rid) };
  }
  const phantom = existing ? undefined : noSuchInstance(m, rid, 'REQUEST', c.version.sequence);
  if (phantom) return { meeting: m, decision: phantom };
  if (existing) {
    const order = compareVersions(c.version, existing.version);
    if (order < 0) return { meeting: m, decision: decision('STALE', 'OLDER_VERSION', `${describeVersion(c.version)} is older than the stored ${describeVersion(existing.version)}`, rid) };
    if (order === 0 && (sameContent(c, existing) || JSON.stringify(c) < JSON.stringify(existing))) {
      // Equal versions with different content is a sender bug; the larger content wins so that
      // every delivery order ends in the same state.
      return { meeting: m, decision: decision('DUPLICATE', 'SAME_VERSION', `already applied at ${describeVersion(c.version)}`, rid) };
    }
  }
  const changes = changedProperties(existing, c);
  const next = store(m, { ...c, attendees: keepAnswers(existing?.attendees ?? [], c) }, mailId);
  const moved = markMoved(next, rid, changes);
  const whole = m.tombstones[''];
  if (whole && !isNewer(c.version, whole.version)) {
    const detail = `older than the CANCEL at ${describeVersion(whole.version)}: the meeting stays cancelled (details recorded)`;
    return { meeting: moved, decision: decision('STALE', 'CANCELLED_LATER', detail, rid, changes) };
  }
  const what = !existing ? (rid ? 'override created' : 'meeting created') : `changed ${changes.join(', ') || 'nothing but DTSTAMP'}`;
  return { meeting: moved, decision: decision('APPLIED', existing ? 'UPDATED' : 'CREATED', what, rid, changes) };
}

/**
 * A newer REQUEST rewrites the organizer's view of partstats but keeps the attendees' answers to
 * its SEQUENCE: a minor change (same SEQUENCE) does not void them, a significant one (higher
 * SEQUENCE, RFC 5546 §2.1.4) does. The same test as a REPLY's staleness, so order cannot matter.
 */
function keepAnswers(before: Attendee[], c: Component): Attendee[] {
  return c.attendees.map((a) => {
    const old = before.find((b) => b.address === a.address);
    return old?.answer && old.answer.version.sequence >= c.version.sequence ? { ...a, answer: old.answer } : a;
  });
}

function store(m: Meeting, c: Component, _mailId: string): Meeting {
  if (c.recurrenceId) return { ...m, overrides: { ...m.overrides, [c.recurrenceId]: c } };
  // A new series version replaces the overrides it outdates (RFC 5546 §3.2.2: the REQUEST
  // carries the whole object); newer overrides, e.g. sent alone later, stay.
  const overrides = Object.fromEntries(Object.entries(m.overrides).filter(([, o]) => o.version.sequence >= c.version.sequence));
  return { ...m, master: c, overrides };
}

/** domain.md §7: a time change after the owner answered makes the answer *moved*; the answer stays in history. */
function markMoved(m: Meeting, rid: string, changes: string[]): Meeting {
  const own = m.ownAnswers[rid];
  if (!own || own.partstat === 'NEEDS-ACTION' || own.moved || !isTimeChange(changes)) return m;
  return { ...m, ownAnswers: { ...m.ownAnswers, [rid]: { ...own, moved: true } } };
}

function addCautions(m: Meeting, cautions: Caution[]): Meeting {
  const all = [...m.cautions];
  for (const c of cautions) if (!all.some((k) => k.code === c.code && k.detail === c.detail)) all.push(c);
  return all.length === m.cautions.length ? m : { ...m, cautions: all };
}

export { addCautions };
