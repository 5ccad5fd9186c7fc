// The outbound half of the broker (sabre/vobject's parseEvent): a copy before and after a local
// change → the iTIP messages it requires, with SEQUENCE bumped for significant changes.
import { changedProperties, isSignificant } from './component-diff';
import type { ItipMessage, Recipient } from './decision';
import type { Attendee, Component, Meeting } from './meeting.model';
import { components, normalise } from './meeting-state';

export interface Actor {
  /** The addresses of whoever made the change (the copy's owner, as a rule). */
  addresses: string[];
  /** Addresses of associates: their copies are updated in place, no mail (domain.md §2). */
  internalAddresses: string[];
}

export interface ChangePlan {
  /** `after`, with SEQUENCE bumped on components that changed significantly (RFC 5546 §2.1.4). */
  next: Meeting;
  messages: ItipMessage[];
  significant: boolean;
}

/** What planChange needs besides the two copies: the clock (no clock reads here). */
export interface ChangeContext {
  /** ISO 8601 UTC: the DTSTAMP of a cancellation's tombstone. */
  now: string;
}

/**
 * `after.status === 'cancelled'` on the organizer's copy means "cancel the meeting": the plan's
 * `next` then carries the whole-meeting tombstone (at the bumped SEQUENCE, DTSTAMP `now`), so
 * the caller saves `next` and nothing else.
 */
export function planChange(before: Meeting, after: Meeting, actor: Actor, ctx: ChangeContext): ChangePlan {
  if (after.role === 'organizer') return planOrganizerChange(before, after, actor, ctx);
  return { next: after, messages: planReplies(before, after, actor), significant: false };
}

/** RFC 6638 §7.1: SCHEDULE-AGENT=CLIENT or NONE means someone else schedules that attendee. */
const scheduledByUs = (a: Attendee): boolean => a.scheduleAgent === '' || a.scheduleAgent === 'SERVER';
const recipient = (address: string, actor: Actor): Recipient => ({ address, internal: actor.internalAddresses.includes(address) });

function planOrganizerChange(before: Meeting, after: Meeting, actor: Actor, ctx: ChangeContext): ChangePlan {
  const changes = components(after).map((c) => changedProperties(before.master && !c.recurrenceId ? before.master : before.overrides[c.recurrenceId], c));
  const cancelling = after.status === 'cancelled' && before.status !== 'cancelled';
  const significant = changes.some(isSignificant) || cancelling;
  const bumped = significant ? bump(after, Math.max(0, ...components(before).map((c) => c.version.sequence)) + 1) : after;
  const next = cancelling ? withCancelTombstone(bumped, ctx.now) : bumped;
  const attendeesOf = (m: Meeting): Attendee[] => components(m).flatMap((c) => c.attendees).filter((a) => scheduledByUs(a) && !actor.addresses.includes(a.address));
  const remaining = unique(attendeesOf(next).map((a) => a.address));
  const removed = unique(attendeesOf(before).map((a) => a.address)).filter((a) => !remaining.includes(a));
  const sequence = next.master?.version.sequence ?? 0;
  const messages: ItipMessage[] = [];
  if (next.status === 'cancelled') {
    messages.push({ method: 'CANCEL', uid: next.uid, sequence, recipients: [...remaining, ...removed].map((a) => recipient(a, actor)), components: cancelled(components(next)), reason: 'MEETING_CANCELLED' });
    return { next, messages, significant };
  }
  const anyChange = changes.some((c) => c.length > 0) || removed.length > 0;
  if (anyChange && remaining.length) messages.push({ method: 'REQUEST', uid: next.uid, sequence, recipients: remaining.map((a) => recipient(a, actor)), components: components(next), reason: significant ? 'SIGNIFICANT_CHANGE' : 'UPDATE' });
  if (removed.length) messages.push({ method: 'CANCEL', uid: next.uid, sequence, recipients: removed.map((a) => recipient(a, actor)), components: cancelled(components(next).filter((c) => !c.recurrenceId)), reason: 'ATTENDEE_REMOVED' });
  return { next, messages, significant };
}

/** The owner answered (ownAnswers changed) → a REPLY per answered instance to the organizer. */
function planReplies(before: Meeting, after: Meeting, actor: Actor): ItipMessage[] {
  const me = components(after).flatMap((c) => c.attendees).find((a) => actor.addresses.includes(a.address));
  if (me && !scheduledByUs(me)) return [];
  const address = me?.address ?? after.owner.addresses[0] ?? '';
  const changed = Object.keys(after.ownAnswers).filter((rid) => after.ownAnswers[rid]!.partstat !== before.ownAnswers[rid]?.partstat).sort();
  return changed.map((rid) => {
    const base = (rid ? after.overrides[rid] ?? after.master : after.master)!;
    const self: Attendee = { ...(me ?? { address, name: '', sentBy: '', role: 'REQ-PARTICIPANT', rsvp: false, cutype: 'INDIVIDUAL', delegatedTo: [], delegatedFrom: [], scheduleAgent: '' }), partstat: after.ownAnswers[rid]!.partstat };
    const { answer: _a, ...selfOut } = self;
    const component: Component = { ...base, recurrenceId: rid, range: '', attendees: [selfOut], rrule: rid ? [] : base.rrule };
    return { method: 'REPLY', uid: after.uid, sequence: base.version.sequence, recipients: [recipient(after.organizer.address, actor)], components: [component], reason: 'OWN_ANSWER' } satisfies ItipMessage;
  });
}

/**
 * RFC 5546 §3.2.5: the organizer's CANCEL, remembered on its own copy as applyCancel remembers an
 * inbound one, so `status` derives from it (normalise) and a late REQUEST of an older SEQUENCE
 * cannot revive the meeting. Its DTSTAMP `now` makes it newer than the components at the same
 * (bumped) SEQUENCE.
 */
function withCancelTombstone(m: Meeting, now: string): Meeting {
  const sequence = Math.max(0, ...components(m).map((c) => c.version.sequence));
  const tombstone = { recurrenceId: '', range: '' as const, version: { sequence, dtstamp: now }, ownerRemoved: false, mailId: '' };
  return normalise({ ...m, tombstones: { ...m.tombstones, '': tombstone } });
}

function bump(m: Meeting, sequence: number): Meeting {
  const up = (c: Component): Component => ({ ...c, version: { ...c.version, sequence: Math.max(sequence, c.version.sequence) } });
  return { ...m, master: m.master && up(m.master), overrides: Object.fromEntries(Object.entries(m.overrides).map(([k, c]) => [k, up(c)])) };
}

const cancelled = (cs: Component[]): Component[] => cs.map((c) => ({ ...c, status: 'CANCELLED' }));
const unique = (xs: string[]): string[] => [...new Set(xs)].sort();
