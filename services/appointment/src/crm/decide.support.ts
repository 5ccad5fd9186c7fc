import { components, occurrenceOf, planChange, type Actor, type Attendee, type ItipMessage, type Meeting } from '@inviteflow/itip';
import { crmError } from './crm.errors';
import type { ActingAssociate, PartyDirectory } from './crm.parties';
import type { Decided } from './crm.executor';

/** Who acts, and which addresses are associates (updated in place, never mailed: domain.md §2). */
export function actorOf(actor: ActingAssociate, dir: PartyDirectory): Actor {
  const associates = [...dir.values()].filter((p) => p.kind === 'associate').map((p) => p.address);
  return { addresses: actor.owner.addresses, internalAddresses: [...new Set([...associates, ...actor.owner.addresses])] };
}

export function requireCopy(stored: Meeting | undefined, uid: string, actor: ActingAssociate): Meeting {
  if (!stored) throw crmError('MEETING_NOT_FOUND', 'uid', `${actor.address} holds no meeting ${uid}`);
  return stored;
}

export function requireOrganizer(stored: Meeting | undefined, uid: string, actor: ActingAssociate): Meeting {
  const m = requireCopy(stored, uid, actor);
  if (m.role !== 'organizer') throw crmError('NOT_ORGANIZER', 'organizer', `${actor.address} is invited to ${uid}, not its organizer (${m.organizer.address}); only the organizer changes a meeting (RFC 5546 §3.2.2)`);
  return m;
}

/** The owner's attendee entry on an attendee copy: they were invited (NOT_INVITED otherwise). */
export function requireInvited(stored: Meeting | undefined, uid: string, actor: ActingAssociate): { copy: Meeting; me: Attendee } {
  if (!stored) throw crmError('NOT_INVITED', 'uid', `${actor.address} is not invited to ${uid} (no copy of it in their diary)`);
  if (stored.role !== 'attendee') throw crmError('NOT_INVITED', 'associate', `${actor.address} organizes ${uid}; the organizer does not answer their own meeting`);
  const me = components(stored).flatMap((c) => c.attendees).find((a) => actor.owner.addresses.includes(a.address));
  if (!me) throw crmError('NOT_INVITED', 'associate', `${actor.address} is not among the attendees of ${uid}`);
  return { copy: stored, me };
}

export function requireActive(m: Meeting, uid: string): void {
  if (m.status === 'cancelled') throw crmError('MEETING_CANCELLED', 'uid', `${uid} is cancelled`);
}

/** '' or the RECURRENCE-ID as the model keys it (a UTC instant), checked against the series. */
export function instanceId(m: Meeting, value: string, field: string): string {
  const v = value.trim();
  if (!v) return '';
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw crmError('INVALID_TIME', field, `"${value}" is not an ISO 8601 instant`);
  const rid = new Date(ms).toISOString();
  if (m.overrides[rid] || m.tombstones[rid] || m.ownAnswers[rid]) return rid;
  if (!m.master || (m.master.rrule.length === 0 && m.master.rdate.length === 0)) throw crmError('UNKNOWN_INSTANCE', field, `${m.uid} does not recur: there is no instance ${rid}`);
  if (occurrenceOf(m.master, rid) === 'no') throw crmError('UNKNOWN_INSTANCE', field, `${rid} is not an instance of ${m.uid} (RRULE/RDATE in ${m.master.timeZone || 'UTC'})`);
  return rid;
}

/** planChange on the organizer's copy, as a Decided; undefined when nothing changes. */
export function planned(before: Meeting, after: Meeting, actor: ActingAssociate, dir: PartyDirectory, now: string, audit: Pick<Decided, 'method' | 'reason' | 'detail' | 'recurrenceId'>, comment = ''): Decided | undefined {
  const plan = planChange(before, after, actorOf(actor, dir), { now, ...(comment ? { comment } : {}) });
  if (plan.messages.length === 0 && JSON.stringify(plan.next) === JSON.stringify(before)) return undefined;
  return { next: plan.next, messages: plan.messages, significant: plan.significant, ...audit, changes: changesOf(plan.messages) };
}

/** A copy that stays as it is and sends `messages` (a COUNTER). */
export function sendOnly(copy: Meeting, messages: ItipMessage[], audit: Pick<Decided, 'method' | 'reason' | 'detail' | 'recurrenceId'>): Decided {
  return { next: copy, messages, significant: false, ...audit, changes: [] };
}

const changesOf = (messages: ItipMessage[]): string[] => [...new Set(messages.map((m) => `${m.method}:${m.reason}`))];

export function newAttendee(address: string, name: string): Attendee {
  return { address, name, sentBy: '', partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT', rsvp: true, cutype: 'INDIVIDUAL', delegatedTo: [], delegatedFrom: [], scheduleAgent: '' };
}
