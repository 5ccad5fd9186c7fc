import type { eventsV1 } from '@inviteflow/proto-gen';
import { AppointmentState, AppointmentStatus, Party } from './appointment';

export interface DiaryOwner {
  associateId: string;
  address: string;
}

export type InvitePlan =
  | { kind: 'apply'; states: AppointmentState[] }
  | { kind: 'skip'; reason: 'UNSUPPORTED_METHOD' | 'NO_KNOWN_RECIPIENT'; detail: string };

/** The diary owners of a message are the mail's recipients (the envelope, else To/Cc). */
export function recipientAddresses(invite: eventsV1.InviteParsed): string[] {
  const envelope = invite.mail?.envelopeTo ?? [];
  return [...new Set(envelope.map((a) => a.toLowerCase()))];
}

/**
 * Pure: what an incoming iTIP message means for each known diary owner. REQUEST creates or
 * updates a tentative appointment; CANCEL marks it cancelled (RFC 5546 §3.2.2, §3.2.5).
 * The other methods are recorded as not applied here yet, never dropped silently.
 */
export function planInvite(invite: eventsV1.InviteParsed, owners: DiaryOwner[], mailId: string): InvitePlan {
  const status = statusFor(invite.method);
  if (!status) return { kind: 'skip', reason: 'UNSUPPORTED_METHOD', detail: `method ${invite.method} is not applied to diaries yet` };
  if (owners.length === 0) return { kind: 'skip', reason: 'NO_KNOWN_RECIPIENT', detail: 'no recipient resolves to an associate' };
  const states = owners.flatMap((owner) => invite.events.map((event) => toState(invite.uid, event, owner, status, mailId)));
  return { kind: 'apply', states };
}

/** Methods that change a diary here; only those are worth parking for an unknown recipient. */
export function changesDiaries(method: string): boolean {
  return statusFor(method) !== undefined;
}

function statusFor(method: string): AppointmentStatus | undefined {
  switch (method.toUpperCase()) {
    case 'REQUEST':
      return 'TENTATIVE';
    case 'CANCEL':
      return 'CANCELLED';
    default:
      return undefined;
  }
}

function toState(uid: string, e: eventsV1.CalendarEvent, owner: DiaryOwner, status: AppointmentStatus, mailId: string): AppointmentState {
  return {
    associateId: owner.associateId, uid, recurrenceId: e.recurrenceId, sequence: e.sequence, dtstamp: e.dtstamp,
    start: e.start, end: e.end, timeZone: e.timeZone, allDay: e.allDay, summary: e.summary, location: e.location,
    organizer: e.organizer ? toParty(e.organizer) : undefined, attendees: e.attendees.map(toParty), status, sourceMailId: mailId,
  };
}

function toParty(p: eventsV1.CalendarParty): Party {
  return { address: p.address, name: p.name, partstat: p.partstat, role: p.role };
}
