// Pure decisions of the organizer's commands: the stored copy and the request → the copy after,
// planned by libs/itip (planChange), or a refusal naming the field. No I/O here.
import { acceptProposal, findProposal, instanceOf, planDeclineCounter, type Attendee, type Component, type Meeting } from '@inviteflow/itip';
import { crmError } from './crm.errors';
import type { ActingAssociate, PartyDirectory } from './crm.parties';
import type { Decided } from './crm.executor';
import type { Slot } from './meeting-time';
import { instanceId, newAttendee, planned, requireActive, requireOrganizer } from './decide.support';

export interface BookDraft {
  uid: string;
  /** The UID was made from the request id: finding it stored means this call is a retry. */
  uidFromRequest: boolean;
  slot: Slot;
  rrule: string[];
  participants: string[];
  summary: string;
  location: string;
  description: string;
  conferenceUrl: string;
}

const byAddress = (a: Attendee, b: Attendee): number => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);

/** BookMeeting: a new organizer's copy, the organizer as CHAIR (ACCEPTED), each participant invited. */
export function decideBook(d: BookDraft, actor: ActingAssociate, stored: Meeting | undefined, dir: PartyDirectory, now: string): Decided | undefined {
  if (stored) {
    if (d.uidFromRequest) return undefined;
    throw crmError('UID_TAKEN', 'uid', `${actor.address} already holds a meeting ${d.uid}`);
  }
  const organizer = { address: actor.address, name: actor.name, sentBy: '' };
  const chair: Attendee = { ...newAttendee(actor.address, actor.name), partstat: 'ACCEPTED', role: 'CHAIR', rsvp: false };
  const attendees = [chair, ...d.participants.filter((a) => a !== actor.address).map((a) => newAttendee(a, dir.get(a)?.name ?? ''))].sort(byAddress);
  const master: Component = {
    recurrenceId: '', range: '', version: { sequence: 0, dtstamp: now }, ...d.slot, summary: d.summary, location: d.location, description: d.description,
    status: 'CONFIRMED', organizer, attendees, rrule: d.rrule, rdate: [], exdate: [], ...(d.conferenceUrl ? { conference: { url: d.conferenceUrl, provider: '' } } : {}),
  };
  const blank: Meeting = {
    id: `${actor.owner.associateId}|${d.uid}`, uid: d.uid, owner: { associateId: actor.owner.associateId, addresses: actor.owner.addresses, timeZone: actor.owner.timeZone },
    role: 'organizer', status: 'active', organizer, overrides: {}, tombstones: {}, instanceAnswers: {}, proposals: [], declinedCounters: [], cautions: [], ownAnswers: {},
    tentative: false, createdAt: now, version: 0,
  };
  return planned(blank, { ...blank, master }, actor, dir, now, { method: 'REQUEST', reason: 'BOOKED', detail: `booked "${d.summary}" with ${attendees.length - 1} participant(s)`, recurrenceId: '' });
}

export interface UpdatePatch {
  recurrenceId: string;
  summary?: string;
  location?: string;
  description?: string;
  conferenceUrl?: string;
  slot?: Slot;
  rrule?: string[];
  addParticipants: string[];
}

/** UpdateMeeting: the series (master, and new participants on every component) or one instance's override. */
export function decideUpdate(p: UpdatePatch, actor: ActingAssociate, stored: Meeting | undefined, uid: string, dir: PartyDirectory, now: string): Decided | undefined {
  const m = requireOrganizer(stored, uid, actor);
  requireActive(m, uid);
  const rid = instanceId(m, p.recurrenceId, 'recurrence_id');
  if (rid && p.rrule !== undefined) throw crmError('INVALID_ARGUMENT', 'rrule', 'an instance has no RRULE of its own; change the series');
  if (!m.master && !rid) throw crmError('MEETING_NOT_FOUND', 'recurrence_id', `${uid} holds single instances only; name one`);
  const patch = (c: Component): Component => {
    const next: Component = {
      ...c, ...(p.summary !== undefined ? { summary: p.summary } : {}), ...(p.location !== undefined ? { location: p.location } : {}),
      ...(p.description !== undefined ? { description: p.description } : {}), ...(p.slot ? p.slot : {}), ...(p.rrule !== undefined ? { rrule: p.rrule } : {}),
    };
    if (p.conferenceUrl) next.conference = { url: p.conferenceUrl, provider: c.conference?.provider ?? '' };
    else if (p.conferenceUrl === '') delete next.conference;
    return next;
  };
  const invite = (c: Component): Component => {
    const added = p.addParticipants.filter((a) => !c.attendees.some((x) => x.address === a)).map((a) => newAttendee(a, dir.get(a)?.name ?? ''));
    return added.length ? { ...c, attendees: [...c.attendees, ...added].sort(byAddress) } : c;
  };
  const after: Meeting = rid
    ? { ...m, overrides: { ...m.overrides, [rid]: invite(patch(m.overrides[rid] ?? instanceOf(m.master!, rid))) } }
    : { ...m, master: invite(patch(m.master!)), overrides: Object.fromEntries(Object.entries(m.overrides).map(([k, c]) => [k, invite(c)])) };
  return planned(m, after, actor, dir, now, { method: 'REQUEST', reason: 'UPDATED', detail: rid ? `instance ${rid} updated` : 'meeting updated', recurrenceId: rid });
}

/** CancelMeeting: the whole meeting (status cancelled) or one instance (a new instance tombstone: planChange sends CANCEL for it alone). */
export function decideCancel(recurrenceId: string, actor: ActingAssociate, stored: Meeting | undefined, uid: string, dir: PartyDirectory, now: string): Decided | undefined {
  const m = requireOrganizer(stored, uid, actor);
  const rid = instanceId(m, recurrenceId, 'recurrence_id');
  if (m.status === 'cancelled') return undefined;
  if (!rid) return planned(m, { ...m, status: 'cancelled' }, actor, dir, now, { method: 'CANCEL', reason: 'CANCELLED', detail: 'meeting cancelled', recurrenceId: '' });
  if (m.tombstones[rid] || m.master?.exdate.includes(rid)) return undefined;
  const placeholder = { recurrenceId: rid, range: '' as const, version: { sequence: 0, dtstamp: '' }, ownerRemoved: false, mailId: '' };
  return planned(m, { ...m, tombstones: { ...m.tombstones, [rid]: placeholder } }, actor, dir, now, { method: 'CANCEL', reason: 'INSTANCE_CANCELLED', detail: `instance ${rid} cancelled`, recurrenceId: rid });
}

/** RemoveAttendee: off every component; planChange sends them a CANCEL and the rest the update. */
export function decideRemove(addresses: string[], actor: ActingAssociate, stored: Meeting | undefined, uid: string, dir: PartyDirectory, now: string): Decided | undefined {
  const m = requireOrganizer(stored, uid, actor);
  requireActive(m, uid);
  const listed = new Set([m.master, ...Object.values(m.overrides)].flatMap((c) => c?.attendees.map((a) => a.address) ?? []));
  addresses.forEach((a, i) => {
    if (actor.owner.addresses.includes(a)) throw crmError('INVALID_ARGUMENT', `attendees[${i}]`, `${a} organizes the meeting; cancel it instead`);
    if (!listed.has(a)) throw crmError('ATTENDEE_NOT_FOUND', `attendees[${i}]`, `${a} is not an attendee of ${uid}`);
  });
  const drop = (c: Component): Component => ({ ...c, attendees: c.attendees.filter((a) => !addresses.includes(a.address)) });
  const after: Meeting = { ...m, master: m.master && drop(m.master), overrides: Object.fromEntries(Object.entries(m.overrides).map(([k, c]) => [k, drop(c)])) };
  return planned(m, after, actor, dir, now, { method: 'CANCEL', reason: 'ATTENDEE_REMOVED', detail: `removed ${addresses.join(', ')}`, recurrenceId: '' });
}

/** AcceptCounter: the proposal applied to the copy, sent to all as a REQUEST (RFC 5546 §3.2.7). */
export function decideAcceptCounter(from: string, recurrenceId: string, actor: ActingAssociate, stored: Meeting | undefined, uid: string, dir: PartyDirectory, now: string): Decided | undefined {
  const m = requireOrganizer(stored, uid, actor);
  requireActive(m, uid);
  const rid = instanceId(m, recurrenceId, 'recurrence_id');
  const p = findProposal(m, from, rid);
  if (!p) throw crmError('PROPOSAL_NOT_FOUND', 'from', `no proposal from ${from}${rid ? ` for ${rid}` : ''} on ${uid}`);
  const after = acceptProposal(m, p)!;
  return planned(m, after, actor, dir, now, { method: 'REQUEST', reason: 'COUNTER_ACCEPTED', detail: `accepted ${from}'s proposal ${p.start}–${p.end}`, recurrenceId: rid });
}

/** DeclineCounter: DECLINECOUNTER to the proposer (RFC 5546 §3.2.8); the proposal is settled. */
export function decideDeclineCounter(from: string, recurrenceId: string, comment: string, actor: ActingAssociate, stored: Meeting | undefined, uid: string, now: string): Decided | undefined {
  const m = requireOrganizer(stored, uid, actor);
  const rid = instanceId(m, recurrenceId, 'recurrence_id');
  const p = findProposal(m, from, rid);
  if (!p) throw crmError('PROPOSAL_NOT_FOUND', 'from', `no proposal from ${from}${rid ? ` for ${rid}` : ''} on ${uid}`);
  const plan = planDeclineCounter(m, p, comment, now);
  if (!plan) throw crmError('ATTENDEE_NOT_FOUND', 'from', `${from} is no longer an attendee of ${uid}`);
  return { next: plan.next, messages: [plan.message], significant: false, method: 'DECLINECOUNTER', reason: 'COUNTER_DECLINED', detail: `declined ${from}'s proposal`, recurrenceId: rid, changes: ['DECLINECOUNTER'] };
}
