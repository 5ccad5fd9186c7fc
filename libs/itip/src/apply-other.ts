// COUNTER, DECLINECOUNTER, REFRESH and ADD (RFC 5546 §3.2.4, §3.2.6–§3.2.8). None of the five
// peers in domain.md §7 tests these inbound; each is kept as data, never applied silently.
import type { eventsV1 } from '@inviteflow/proto-gen';
import { findInvited, organizerMatches, sentByParty } from './authority';
import type { ApplyContext } from './context';
import { decision, type ApplyResult, type Decision, type ItipMessage } from './decision';
import { componentOf } from './from-invite';
import type { Component, Meeting } from './meeting.model';
import { components, normalise } from './meeting-state';
import { compareVersions, describeVersion } from './versions';

const none = (next: Meeting | undefined, d: Decision): ApplyResult => ({ next, changed: false, decisions: [d], outbound: [] });

function incoming(invite: eventsV1.InviteParsed, ctx: ApplyContext): { component: Component; comment: string[] }[] {
  return invite.events.map((e) => componentOf(e, ctx.owner.timeZone));
}

/** COUNTER: an attendee proposes a change; stored on the organizer's copy for the organizer to decide. */
export function applyCounter(stored: Meeting | undefined, invite: eventsV1.InviteParsed, ctx: ApplyContext): ApplyResult {
  if (!stored) return none(undefined, decision('NO_MATCHING_MEETING', 'UNKNOWN_UID', `no copy of ${invite.uid} is stored`));
  if (stored.role !== 'organizer') return none(stored, decision('IGNORED', 'NOT_ORGANIZER_COPY', 'a COUNTER is for the organizer'));
  const proposals = [...stored.proposals];
  const decisions: Decision[] = [];
  for (const { component: c, comment } of incoming(invite, ctx)) {
    const party = c.attendees[0];
    const invited = party && findInvited(components(stored).flatMap((k) => k.attendees), party, ctx);
    if (!party || !sentByParty(party, ctx)) decisions.push(decision('UNAUTHORISED', 'NOT_FROM_ATTENDEE', 'a COUNTER must come from the attendee who proposes', c.recurrenceId));
    else if (!invited) decisions.push(decision('UNSOLICITED', 'NOT_INVITED', `${party.address} was never invited`, c.recurrenceId));
    else if (proposals.some((p) => p.from === invited.address && p.recurrenceId === c.recurrenceId && compareVersions(p.version, c.version) === 0)) {
      decisions.push(decision('DUPLICATE', 'SAME_VERSION', 'this proposal is already stored', c.recurrenceId));
    } else {
      proposals.push({ from: invited.address, recurrenceId: c.recurrenceId, version: c.version, start: c.start, end: c.end, location: c.location, summary: c.summary, comment, mailId: invite.mailId });
      decisions.push(decision('APPLIED', 'PROPOSAL_STORED', `${invited.address} proposes ${c.start}–${c.end}`, c.recurrenceId, ['PROPOSAL']));
    }
  }
  if (!decisions.some((d) => d.code === 'APPLIED')) return { next: stored, changed: false, decisions, outbound: [] };
  proposals.sort((a, b) => (`${a.from}|${a.recurrenceId}|${a.version.dtstamp}` < `${b.from}|${b.recurrenceId}|${b.version.dtstamp}` ? -1 : 1));
  return { next: normalise({ ...stored, proposals }), changed: true, decisions, outbound: [] };
}

/** DECLINECOUNTER: the organizer refused the owner's proposal; recorded on the attendee's copy. */
export function applyDeclineCounter(stored: Meeting | undefined, invite: eventsV1.InviteParsed, ctx: ApplyContext): ApplyResult {
  if (!stored) return none(undefined, decision('NO_MATCHING_MEETING', 'UNKNOWN_UID', `no copy of ${invite.uid} is stored`));
  if (stored.role !== 'attendee') return none(stored, decision('IGNORED', 'NOT_ATTENDEE_COPY', 'a DECLINECOUNTER is for the attendee who proposed'));
  const items = incoming(invite, ctx);
  const organizer = items.find((i) => i.component.organizer.address)?.component.organizer;
  if (!organizer || !organizerMatches(stored.organizer, organizer, ctx)) {
    return none(stored, decision('UNAUTHORISED', 'ORGANIZER_MISMATCH', 'only the organizer declines a counter-proposal'));
  }
  const declined = [...stored.declinedCounters];
  const decisions = items.map(({ component: c, comment }) => {
    if (declined.some((d) => d.recurrenceId === c.recurrenceId && compareVersions(d.version, c.version) === 0)) return decision('DUPLICATE', 'SAME_VERSION', 'already recorded', c.recurrenceId);
    declined.push({ recurrenceId: c.recurrenceId, version: c.version, comment, mailId: invite.mailId });
    return decision('APPLIED', 'COUNTER_DECLINED', `the organizer declined the proposal (${describeVersion(c.version)})`, c.recurrenceId, ['DECLINECOUNTER']);
  });
  if (!decisions.some((d) => d.code === 'APPLIED')) return { next: stored, changed: false, decisions, outbound: [] };
  declined.sort((a, b) => (`${a.recurrenceId}|${a.version.dtstamp}` < `${b.recurrenceId}|${b.version.dtstamp}` ? -1 : 1));
  return { next: { ...stored, declinedCounters: declined }, changed: true, decisions, outbound: [] };
}

/** REFRESH: an attendee asks for the current version; answered with an outbound REQUEST to them alone. */
export function applyRefresh(stored: Meeting | undefined, invite: eventsV1.InviteParsed, ctx: ApplyContext): ApplyResult {
  if (!stored) return none(undefined, decision('NO_MATCHING_MEETING', 'UNKNOWN_UID', `no copy of ${invite.uid} is stored`));
  if (stored.role !== 'organizer') return none(stored, decision('IGNORED', 'NOT_ORGANIZER_COPY', 'a REFRESH is for the organizer'));
  const party = incoming(invite, ctx)[0]?.component.attendees[0];
  if (!party || !sentByParty(party, ctx)) return none(stored, decision('UNAUTHORISED', 'NOT_FROM_ATTENDEE', 'a REFRESH must come from the attendee asking'));
  const invited = findInvited(components(stored).flatMap((c) => c.attendees), party, ctx);
  if (!invited) return none(stored, decision('UNSOLICITED', 'NOT_INVITED', `${party.address} was never invited; nothing is sent`));
  if (invited.scheduleAgent === 'CLIENT' || invited.scheduleAgent === 'NONE') {
    return none(stored, decision('IGNORED', 'SCHEDULE_AGENT_CLIENT', `RFC 6638 §7.1: ${invited.address} is scheduled by their client, not by us`));
  }
  const request: ItipMessage = {
    method: stored.status === 'cancelled' ? 'CANCEL' : 'REQUEST', uid: stored.uid, sequence: stored.master?.version.sequence ?? 0,
    recipients: [{ address: invited.address, internal: false }], components: components(stored), reason: 'REFRESH_REQUESTED',
  };
  return { next: stored, changed: false, decisions: [decision('APPLIED', 'REFRESH_ANSWERED', `current version re-sent to ${invited.address}`, '', [])], outbound: [request] };
}

/** ADD: extra instances of a stored series (RFC 5546 §3.2.4); an unknown UID asks the organizer for a REFRESH. */
export function applyAdd(stored: Meeting | undefined, invite: eventsV1.InviteParsed, ctx: ApplyContext): ApplyResult {
  const items = incoming(invite, ctx);
  const organizer = items.find((i) => i.component.organizer.address)?.component.organizer;
  if (!stored || !stored.master) {
    const refresh: ItipMessage[] = organizer
      ? [{ method: 'REFRESH', uid: invite.uid, sequence: 0, recipients: [{ address: organizer.address, internal: false }], components: [], reason: 'ADD_FOR_UNKNOWN_SERIES' }]
      : [];
    return { next: stored, changed: false, decisions: [decision('NO_MATCHING_MEETING', 'UNKNOWN_SERIES', 'RFC 5546 §3.2.4: an ADD for an unknown series is answered with REFRESH')], outbound: refresh };
  }
  if (!organizer || !organizerMatches(stored.organizer, organizer, ctx)) return none(stored, decision('UNAUTHORISED', 'ORGANIZER_MISMATCH', 'only the organizer adds instances'));
  let master = stored.master;
  const overrides = { ...stored.overrides };
  const decisions: Decision[] = [];
  for (const { component: c } of items) {
    if (c.version.sequence < master.version.sequence) {
      decisions.push(decision('STALE', 'OLDER_VERSION', `${describeVersion(c.version)} is older than the series`, c.start));
    } else if (overrides[c.start] || master.rdate.includes(c.start)) {
      decisions.push(decision('DUPLICATE', 'SAME_INSTANCE', `instance ${c.start} is already part of the series`, c.start));
    } else {
      overrides[c.start] = { ...c, recurrenceId: c.start, added: true };
      master = { ...master, rdate: [...master.rdate, c.start].sort() };
      decisions.push(decision('APPLIED', 'INSTANCE_ADDED', `instance ${c.start} added`, c.start, ['RDATE']));
    }
  }
  if (!decisions.some((d) => d.code === 'APPLIED')) return { next: stored, changed: false, decisions, outbound: [] };
  return { next: normalise({ ...stored, master, overrides }), changed: true, decisions, outbound: [] };
}
