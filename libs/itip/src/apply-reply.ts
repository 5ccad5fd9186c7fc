// METHOD:REPLY (RFC 5546 §3.2.3) on the organizer's copy: one attendee's PARTSTAT, for the
// series or one instance. Matched by UID alone (Outlook sends no ORGANIZER, nextcloud/server
// #53948), RECURRENCE-ID compared as an instant (sabre-io/vobject#358), and never allowed to
// raise the copy's SEQUENCE (tutao/tutanota#2807): only the organizer moves SEQUENCE.
import type { eventsV1 } from '@inviteflow/proto-gen';
import { findInvited, sentByParty } from './authority';
import type { ApplyContext } from './context';
import { decision, type ApplyResult, type Decision } from './decision';
import { componentOf } from './from-invite';
import type { Answer, Attendee, Component, Meeting } from './meeting.model';
import { noSuchInstance } from './instance-check';
import { floorSequence, normalise } from './meeting-state';
import { compareVersions, describeVersion } from './versions';

export function applyReply(stored: Meeting | undefined, invite: eventsV1.InviteParsed, ctx: ApplyContext): ApplyResult {
  if (!stored) return noChange(undefined, decision('NO_MATCHING_MEETING', 'UNKNOWN_UID', `no copy of ${invite.uid} is stored`));
  if (stored.role !== 'organizer') {
    return noChange(stored, decision('IGNORED', 'NOT_ORGANIZER_COPY', 'a REPLY is for the organizer; this is an attendee\'s copy'));
  }
  let meeting = stored;
  const decisions: Decision[] = [];
  for (const event of invite.events) {
    const { component, comment } = componentOf(event, ctx.owner.timeZone);
    if (component.attendees.length === 0) decisions.push(decision('IGNORED', 'NO_ATTENDEE', 'RFC 5546 §3.2.3: a REPLY names the replying ATTENDEE', component.recurrenceId));
    for (const party of component.attendees) {
      const step = applyOne(meeting, component, party, { comment, mailId: invite.mailId }, ctx);
      meeting = step.meeting;
      decisions.push(step.decision);
    }
  }
  if (!decisions.some((d) => d.code === 'APPLIED')) return { next: stored, changed: false, decisions, outbound: [] };
  return { next: normalise(meeting), changed: true, decisions, outbound: [] };
}

function noChange(next: Meeting | undefined, d: Decision): ApplyResult {
  return { next, changed: false, decisions: [d], outbound: [] };
}

interface ReplyExtras {
  comment: string[];
  mailId: string;
}

function applyOne(m: Meeting, c: Component, party: Attendee, extras: ReplyExtras, ctx: ApplyContext): { meeting: Meeting; decision: Decision } {
  const rid = c.recurrenceId;
  const reject = (d: Decision): { meeting: Meeting; decision: Decision } => ({ meeting: m, decision: d });
  if (!sentByParty(party, ctx)) {
    return reject(decision('UNAUTHORISED', 'NOT_FROM_ATTENDEE', `the REPLY is about ${party.address}, but the mail's sender is ${ctx.senderAddresses.join(', ') || 'unknown'}`, rid));
  }
  if (rid && !m.master && !m.overrides[rid]) return reject(decision('NO_MATCHING_MEETING', 'UNKNOWN_INSTANCE', `no instance ${rid} is stored`, rid));
  const phantom = noSuchInstance(m, rid, 'REPLY', c.version.sequence);
  if (phantom) return reject(phantom);
  const invited = findInvited(invitedAt(m, rid), party, ctx);
  if (!invited) return reject(decision('UNSOLICITED', 'NOT_INVITED', `${party.address} was never invited; nobody is added (domain.md §7)`, rid));
  const floor = floorSequence(m, rid);
  const version = c.version;
  if (version.sequence < floor) return reject(decision('STALE', 'ANSWERS_OLDER_VERSION', `answers SEQUENCE ${version.sequence}; the meeting is at ${floor}`, rid));
  const existing = rid ? m.instanceAnswers[rid]?.[invited.address] : invited.answer;
  if (existing && compareVersions(version, existing.version) <= 0) {
    const same = compareVersions(version, existing.version) === 0;
    return reject(decision(same ? 'DUPLICATE' : 'STALE', same ? 'SAME_VERSION' : 'OLDER_VERSION', `an answer at ${describeVersion(existing.version)} is stored`, rid));
  }
  const answer: Answer = { partstat: party.partstat, version, comment: extras.comment, delegatedTo: party.delegatedTo, mailId: extras.mailId };
  const meeting = withDelegates(record(m, rid, invited.address, answer), rid, invited.address, answer);
  const raised = version.sequence > floor ? `; the reply's SEQUENCE ${version.sequence} is not adopted (the copy stays at ${floor})` : '';
  const changes = [`PARTSTAT:${invited.address}=${party.partstat}`, ...answer.delegatedTo.map((d) => `DELEGATE:${d}`)];
  return { meeting, decision: decision('APPLIED', 'PARTSTAT', `${invited.address} ${party.partstat}${rid ? ` for ${rid}` : ''}${raised}`, rid, changes) };
}

/** Who may answer for an instance: its override's attendees (or the master's), and delegates recorded for it. */
function invitedAt(m: Meeting, rid: string): Attendee[] {
  const listed = (rid ? m.overrides[rid] ?? m.master : m.master)?.attendees ?? [];
  const delegates = Object.keys(m.instanceAnswers[rid] ?? {})
    .filter((address) => !listed.some((a) => a.address === address))
    .map((address) => delegateOf(address, ''));
  return [...listed, ...delegates];
}

function record(m: Meeting, rid: string, address: string, answer: Answer): Meeting {
  if (rid) return { ...m, instanceAnswers: { ...m.instanceAnswers, [rid]: { ...m.instanceAnswers[rid], [address]: answer } } };
  const master = m.master!;
  return { ...m, master: { ...master, attendees: master.attendees.map((a) => (a.address === address ? { ...a, answer } : a)) } };
}

/** RFC 5546 §3.2.2.3: PARTSTAT=DELEGATED with DELEGATED-TO; the delegate joins as NEEDS-ACTION. */
function withDelegates(m: Meeting, rid: string, from: string, answer: Answer): Meeting {
  if (answer.partstat !== 'DELEGATED' || answer.delegatedTo.length === 0) return m;
  let next = m;
  for (const address of answer.delegatedTo) {
    if (invitedAt(next, rid).some((a) => a.address === address)) continue;
    if (!rid && next.master) {
      const attendees = [...next.master.attendees, delegateOf(address, from)].sort((a, b) => (a.address < b.address ? -1 : 1));
      next = { ...next, master: { ...next.master, attendees } };
    } else {
      const pending: Answer = { partstat: 'NEEDS-ACTION', version: answer.version, comment: [], delegatedTo: [], mailId: answer.mailId };
      next = record(next, rid, address, pending);
    }
  }
  return next;
}

function delegateOf(address: string, from: string): Attendee {
  return {
    address, name: '', sentBy: '', partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT', rsvp: true, cutype: 'INDIVIDUAL',
    delegatedTo: [], delegatedFrom: from ? [from] : [], scheduleAgent: '',
  };
}
