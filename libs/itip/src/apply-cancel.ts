// METHOD:CANCEL (RFC 5546 §3.2.5): the whole meeting, or the instances it names. Nothing is
// deleted: a tombstone remembers the CANCEL, so a late, older REQUEST cannot bring the meeting
// back (Exchange's out-of-date detection, domain.md §4), and the CRM keeps Cancelled entries.
import type { eventsV1 } from '@inviteflow/proto-gen';
import { organizerMatches, sentByParty } from './authority';
import type { ApplyContext } from './context';
import { decision, type ApplyResult, type Decision } from './decision';
import { componentOf } from './from-invite';
import type { Component, Meeting, Tombstone } from './meeting.model';
import { noSuchInstance } from './instance-check';
import { emptyMeeting, normalise } from './meeting-state';
import { compareVersions, describeVersion, isNewer } from './versions';

export function applyCancel(stored: Meeting | undefined, invite: eventsV1.InviteParsed, ctx: ApplyContext): ApplyResult {
  const incoming = invite.events.map((e) => componentOf(e, ctx.owner.timeZone).component);
  const organizer = incoming.find((c) => c.organizer.address)?.organizer;
  if (!organizer || (stored && !organizerMatches(stored.organizer, organizer, ctx))) {
    const d = decision('UNAUTHORISED', organizer ? 'ORGANIZER_MISMATCH' : 'NO_ORGANIZER', `only the organizer ${stored?.organizer.address ?? ''} may cancel`.trim());
    return { next: stored, changed: false, decisions: [d], outbound: [] };
  }
  // The mail must come from the organizer (or their SENT-BY), not merely name them: else anyone
  // could cancel someone else's meeting, or leave a tombstone that blocks its REQUEST (issue 15).
  if (!sentByParty(organizer, ctx)) {
    const d = decision('UNAUTHORISED', 'NOT_FROM_ORGANIZER', `the CANCEL names ${organizer.address} as organizer, but the mail's sender is ${ctx.senderAddresses.join(', ') || 'unknown'}`);
    return { next: stored, changed: false, decisions: [d], outbound: [] };
  }
  const role = ctx.owner.addresses.includes(organizer.address) ? 'organizer' : 'attendee';
  let meeting = stored ?? { ...emptyMeeting(invite.uid, role, ctx), organizer };
  const decisions: Decision[] = [];
  for (const c of incoming) {
    const phantom = noSuchInstance(meeting, c.recurrenceId, 'CANCEL', c.version.sequence);
    if (phantom) {
      decisions.push(phantom);
      continue;
    }
    const t = tombstoneOf(c, meeting, invite.mailId);
    const step = addTombstone(meeting, t);
    meeting = step.meeting;
    decisions.push(step.decision);
  }
  if (!decisions.some((d) => d.code === 'APPLIED')) return { next: stored, changed: false, decisions, outbound: [] };
  return { next: normalise(meeting), changed: true, decisions, outbound: [] };
}

/**
 * An attendee's copy gets a CANCEL naming only some attendees when the organizer removes them
 * from a meeting that goes on (RFC 5546 §3.2.5): STATUS stays CONFIRMED, or the owner is among
 * a partial list (fewer attendees than the stored master). Only this copy is cancelled either way; the flag says which it was.
 */
function tombstoneOf(c: Component, m: Meeting, mailId: string): Tombstone {
  const ownerListed = c.attendees.some((a) => m.owner.addresses.includes(a.address));
  const partial = m.master !== undefined && c.attendees.length < m.master.attendees.length;
  const ownerRemoved = m.role === 'attendee' && !c.recurrenceId && c.status !== 'CANCELLED' && ownerListed && partial;
  return { recurrenceId: c.recurrenceId, range: c.range, version: c.version, ownerRemoved, mailId };
}

function addTombstone(m: Meeting, t: Tombstone): { meeting: Meeting; decision: Decision } {
  const rid = t.recurrenceId;
  const existing = m.tombstones[rid];
  if (existing && compareVersions(t.version, existing.version) <= 0) {
    const same = compareVersions(t.version, existing.version) === 0;
    return { meeting: m, decision: decision(same ? 'DUPLICATE' : 'STALE', same ? 'SAME_VERSION' : 'OLDER_VERSION', `already cancelled at ${describeVersion(existing.version)}`, rid) };
  }
  if (rid && m.master && t.version.sequence < m.master.version.sequence) {
    return { meeting: m, decision: decision('STALE', 'SUPERSEDED_BY_SERIES', `instance CANCEL at ${describeVersion(t.version)} is older than the series at ${describeVersion(m.master.version)}`, rid) };
  }
  const live = rid ? m.overrides[rid] : m.master;
  if (live && !isNewer(t.version, live.version)) {
    return { meeting: m, decision: decision('STALE', 'OLDER_VERSION', `${describeVersion(t.version)} is not newer than the stored ${describeVersion(live.version)}`, rid) };
  }
  const meeting = { ...m, tombstones: { ...m.tombstones, [rid]: t } };
  const what = rid ? `instance ${rid}${t.range ? ' and later' : ''} cancelled` : t.ownerRemoved ? 'owner removed from the meeting; this copy cancelled' : 'meeting cancelled';
  const reason = rid ? 'INSTANCE_CANCELLED' : t.ownerRemoved ? 'ATTENDEE_REMOVED' : m.master ? 'CANCELLED' : 'TOMBSTONE';
  return { meeting, decision: decision('APPLIED', reason, m.master || rid ? what : `${what} before its REQUEST arrived: tombstone kept`, rid, ['CANCELLED']) };
}
