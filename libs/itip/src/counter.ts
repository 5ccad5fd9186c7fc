// Counter-proposals from the CRM's side (RFC 5546 §3.2.7, §3.2.8): an attendee proposes a new
// time (COUNTER to the organizer), and the organizer accepts it — applies it to the copy, which
// planChange then sends as a REQUEST — or declines it (DECLINECOUNTER to the proposer).
import type { ItipMessage } from './decision';
import { instanceOf } from './instance';
import type { Attendee, Component, Meeting, Proposal } from './meeting.model';
import { components } from './meeting-state';

export interface CounterProposal {
  /** '' for the series, or the instance (UTC instant) the proposal is about. */
  recurrenceId: string;
  start: string;
  end: string;
  /** A new LOCATION, or '' to keep the current one. */
  location: string;
  comment: string;
}

/** The component a proposal or answer about `rid` is written against: the override, the occurrence, or the master. */
export function componentAt(m: Meeting, rid: string): Component | undefined {
  if (!rid) return m.master;
  return m.overrides[rid] ?? (m.master && instanceOf(m.master, rid));
}

/**
 * COUNTER from the owner of an attendee copy: the component with the proposed times, the owner as
 * the only ATTENDEE (applyCounter checks it against the sender), at the copy's SEQUENCE and
 * DTSTAMP `now`. The copy itself does not change. undefined when the owner is not an attendee.
 */
export function planCounter(copy: Meeting, proposal: CounterProposal, ownerAddresses: string[], now: string): ItipMessage | undefined {
  const base = componentAt(copy, proposal.recurrenceId);
  const me = base && components(copy).flatMap((c) => c.attendees).find((a) => ownerAddresses.includes(a.address));
  if (!base || !me) return undefined;
  const { answer: _answer, ...self } = me;
  const component: Component = {
    ...base, start: proposal.start, end: proposal.end, location: proposal.location || base.location,
    attendees: [self as Attendee], version: { sequence: base.version.sequence, dtstamp: now }, ...(proposal.recurrenceId ? { rrule: [], rdate: [], exdate: [] } : {}),
  };
  return {
    method: 'COUNTER', uid: copy.uid, sequence: base.version.sequence, recipients: [{ address: copy.organizer.address, internal: false }],
    components: [component], reason: 'COUNTER_PROPOSED', ...(proposal.comment ? { comment: [proposal.comment] } : {}),
  };
}

/** The newest proposal from `from` about `rid` on the organizer's copy. */
export function findProposal(m: Meeting, from: string, rid: string): Proposal | undefined {
  const mine = m.proposals.filter((p) => p.from === from && p.recurrenceId === rid);
  return mine.sort((a, b) => a.version.sequence - b.version.sequence || (a.version.dtstamp < b.version.dtstamp ? -1 : 1)).at(-1);
}

const withoutProposals = (m: Meeting, from: string, rid: string): Meeting['proposals'] => m.proposals.filter((p) => !(p.from === from && p.recurrenceId === rid));

/**
 * The organizer accepts a COUNTER: the proposal's times (and LOCATION, SUMMARY when it names
 * them) become the series or that instance's override, and the proposal is settled. The caller
 * passes the result to planChange, which bumps SEQUENCE and sends the REQUEST (RFC 5546 §3.2.7:
 * "the Organizer accepts the counter proposal by sending all attendees a REQUEST").
 */
export function acceptProposal(m: Meeting, p: Proposal): Meeting | undefined {
  const base = componentAt(m, p.recurrenceId);
  if (!base) return undefined;
  const moved: Component = { ...base, start: p.start || base.start, end: p.end || base.end, location: p.location || base.location, summary: p.summary || base.summary };
  const proposals = withoutProposals(m, p.from, p.recurrenceId);
  if (!p.recurrenceId) return { ...m, master: moved, proposals };
  return { ...m, overrides: { ...m.overrides, [p.recurrenceId]: moved }, proposals };
}

/**
 * The organizer declines a COUNTER: DECLINECOUNTER to the proposer (RFC 5546 §3.2.8) with the
 * current component, and the proposal is settled on the organizer's copy (`next`, to save).
 */
export function planDeclineCounter(m: Meeting, p: Proposal, comment: string, now: string): { next: Meeting; message: ItipMessage } | undefined {
  const base = componentAt(m, p.recurrenceId);
  const proposer = components(m).flatMap((c) => c.attendees).find((a) => a.address === p.from);
  if (!base || !proposer) return undefined;
  const { answer: _answer, ...self } = proposer;
  const component: Component = { ...base, attendees: [self as Attendee], version: { sequence: base.version.sequence, dtstamp: now } };
  const message: ItipMessage = {
    method: 'DECLINECOUNTER', uid: m.uid, sequence: base.version.sequence, recipients: [{ address: p.from, internal: false }],
    components: [component], reason: 'COUNTER_DECLINED', ...(comment ? { comment: [comment] } : {}),
  };
  return { next: { ...m, proposals: withoutProposals(m, p.from, p.recurrenceId) }, message };
}
