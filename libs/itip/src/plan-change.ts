// The outbound half of the broker (sabre/vobject's parseEvent): a copy before and after a local
// change → the iTIP messages it requires, with SEQUENCE bumped for significant changes.
import { changedProperties, isSignificant } from './component-diff';
import type { ItipMessage, Recipient } from './decision';
import type { Attendee, Component, Meeting } from './meeting.model';
import { instanceOf } from './instance';
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
  /** ISO 8601 UTC: the DTSTAMP of every message planned and of a cancellation's tombstone. */
  now: string;
  /** COMMENT for the owner's REPLY (RFC 5545 §3.8.1.4), e.g. why they decline. */
  comment?: string;
}

/**
 * `after.status === 'cancelled'` on the organizer's copy means "cancel the meeting": the plan's
 * `next` then carries the whole-meeting tombstone (at the bumped SEQUENCE, DTSTAMP `now`), so
 * the caller saves `next` and nothing else.
 */
export function planChange(before: Meeting, after: Meeting, actor: Actor, ctx: ChangeContext): ChangePlan {
  if (after.role === 'organizer') return planOrganizerChange(before, after, actor, ctx);
  return { next: after, messages: planReplies(before, after, actor, ctx), significant: false };
}

/** RFC 6638 §7.1: SCHEDULE-AGENT=CLIENT or NONE means someone else schedules that attendee. */
const scheduledByUs = (a: Attendee): boolean => a.scheduleAgent === '' || a.scheduleAgent === 'SERVER';
const recipient = (address: string, actor: Actor): Recipient => ({ address, internal: actor.internalAddresses.includes(address) });

function planOrganizerChange(before: Meeting, after: Meeting, actor: Actor, ctx: ChangeContext): ChangePlan {
  // RFC 5546 §3.2.5: a new instance tombstone in `after` means "cancel that occurrence": it
  // becomes an EXDATE of the series (kept by later REQUESTs) and a CANCEL naming it alone.
  const cancelledRids = Object.keys(after.tombstones).filter((rid) => rid && !before.tombstones[rid]).sort();
  const baseline = excludeInstances(before, cancelledRids);
  const current = excludeInstances(after, cancelledRids);
  const changes = components(current).map((c) => changedProperties(previousOf(baseline, c), c));
  const cancelling = current.status === 'cancelled' && before.status !== 'cancelled';
  const significant = changes.some(isSignificant) || cancelling || cancelledRids.length > 0;
  const bumped = significant ? bump(current, Math.max(0, ...components(before).map((c) => c.version.sequence)) + 1) : current;
  const anyChange = changes.some((c) => c.length > 0) || cancelledRids.length > 0;
  // RFC 5546 §2.1.5: DTSTAMP is when the message was made; a minor update keeps its SEQUENCE and
  // is newer only by DTSTAMP, so every component sent is stamped `now`. Not when cancelling: the
  // tombstone (same SEQUENCE, DTSTAMP now) must stay newer than the components it cancels.
  const stamped = anyChange && !cancelling ? stamp(bumped, ctx.now) : bumped;
  const next = cancelling ? withCancelTombstone(stamped, ctx.now) : withInstanceTombstones(stamped, cancelledRids, ctx.now);
  const attendeesOf = (m: Meeting): Attendee[] => components(m).flatMap((c) => c.attendees).filter((a) => scheduledByUs(a) && !actor.addresses.includes(a.address));
  const remaining = unique(attendeesOf(next).map((a) => a.address));
  const removed = unique(attendeesOf(before).map((a) => a.address)).filter((a) => !remaining.includes(a));
  const sequence = next.master?.version.sequence ?? 0;
  const messages: ItipMessage[] = [];
  if (next.status === 'cancelled') {
    messages.push({ method: 'CANCEL', uid: next.uid, sequence, recipients: [...remaining, ...removed].map((a) => recipient(a, actor)), components: cancelled(components(next)), reason: 'MEETING_CANCELLED' });
    return { next, messages, significant };
  }
  if (cancelledRids.length && remaining.length) {
    const instances = cancelledRids.map((rid) => ({ ...(before.overrides[rid] ?? instanceOf(before.master!, rid)), version: { sequence, dtstamp: ctx.now } }));
    messages.push({ method: 'CANCEL', uid: next.uid, sequence, recipients: remaining.map((a) => recipient(a, actor)), components: cancelled(instances), reason: 'INSTANCE_CANCELLED' });
  }
  const otherChange = changes.some((c) => c.length > 0) || removed.length > 0;
  if (otherChange && remaining.length) messages.push({ method: 'REQUEST', uid: next.uid, sequence, recipients: remaining.map((a) => recipient(a, actor)), components: components(next), reason: significant ? 'SIGNIFICANT_CHANGE' : 'UPDATE' });
  if (removed.length) messages.push({ method: 'CANCEL', uid: next.uid, sequence, recipients: removed.map((a) => recipient(a, actor)), components: cancelled(components(next).filter((c) => !c.recurrenceId)), reason: 'ATTENDEE_REMOVED' });
  return { next, messages, significant };
}

/** What a component was before: the master, the override, or (a new override) the occurrence it replaces. */
function previousOf(before: Meeting, c: Component): Component | undefined {
  if (!c.recurrenceId) return before.master;
  return before.overrides[c.recurrenceId] ?? (before.master && instanceOf(before.master, c.recurrenceId));
}

/** The copy with `rids` as EXDATEs of its series and without their overrides or placeholder tombstones. */
function excludeInstances(m: Meeting, rids: string[]): Meeting {
  if (rids.length === 0 || !m.master) return m;
  const overrides = Object.fromEntries(Object.entries(m.overrides).filter(([rid]) => !rids.includes(rid)));
  const tombstones = Object.fromEntries(Object.entries(m.tombstones).filter(([rid]) => !rids.includes(rid)));
  return { ...m, overrides, tombstones, master: { ...m.master, exdate: unique([...m.master.exdate, ...rids]) } };
}

/** The instance tombstones at the plan's SEQUENCE, as an inbound CANCEL would leave them (applyCancel). */
function withInstanceTombstones(m: Meeting, rids: string[], now: string): Meeting {
  // normalise even without tombstones: a bumped SEQUENCE voids the answers given to the old one.
  if (rids.length === 0) return normalise(m);
  const sequence = Math.max(0, ...components(m).map((c) => c.version.sequence));
  const added = Object.fromEntries(rids.map((rid) => [rid, { recurrenceId: rid, range: '' as const, version: { sequence, dtstamp: now }, ownerRemoved: false, mailId: '' }]));
  return normalise({ ...m, tombstones: { ...m.tombstones, ...added } });
}

/**
 * DTSTAMP `now`, but always later than the stamp it replaces: a change at the same SEQUENCE is
 * ordered by DTSTAMP alone, and a clock that has not moved on (the same second: iCalendar writes
 * DTSTAMP to the second) must not make it look like a duplicate.
 */
function stamp(m: Meeting, now: string): Meeting {
  const later = (previous: string): string => (previous && Date.parse(now) < Date.parse(previous) + 1000 ? new Date(Date.parse(previous) + 1000).toISOString() : now);
  const up = (c: Component): Component => ({ ...c, version: { ...c.version, dtstamp: later(c.version.dtstamp) } });
  return { ...m, master: m.master && up(m.master), overrides: Object.fromEntries(Object.entries(m.overrides).map(([k, c]) => [k, up(c)])) };
}

/** The owner answered (ownAnswers changed) → a REPLY per answered instance to the organizer. */
function planReplies(before: Meeting, after: Meeting, actor: Actor, ctx: ChangeContext): ItipMessage[] {
  const me = components(after).flatMap((c) => c.attendees).find((a) => actor.addresses.includes(a.address));
  if (me && !scheduledByUs(me)) return [];
  const address = me?.address ?? after.owner.addresses[0] ?? '';
  const changed = Object.keys(after.ownAnswers).filter((rid) => after.ownAnswers[rid]!.partstat !== before.ownAnswers[rid]?.partstat).sort();
  return changed.map((rid) => {
    const base = (rid ? after.overrides[rid] ?? after.master : after.master)!;
    const self: Attendee = { ...(me ?? { address, name: '', sentBy: '', role: 'REQ-PARTICIPANT', rsvp: false, cutype: 'INDIVIDUAL', delegatedTo: [], delegatedFrom: [], scheduleAgent: '' }), partstat: after.ownAnswers[rid]!.partstat };
    const { answer: _a, ...selfOut } = self;
    // DTSTAMP now: a changed answer to the same SEQUENCE must be newer than the one it replaces (RFC 5546 §2.1.5).
    const instance = rid && !after.overrides[rid] ? instanceOf(base, rid) : base;
    const component: Component = { ...instance, recurrenceId: rid, range: '', attendees: [selfOut], rrule: rid ? [] : base.rrule, version: { sequence: base.version.sequence, dtstamp: ctx.now } };
    return { method: 'REPLY', uid: after.uid, sequence: base.version.sequence, recipients: [recipient(after.organizer.address, actor)], components: [component], reason: 'OWN_ANSWER', ...(ctx.comment ? { comment: [ctx.comment] } : {}) } satisfies ItipMessage;
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
