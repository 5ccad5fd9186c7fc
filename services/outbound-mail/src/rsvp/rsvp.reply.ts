import { eventsV1 } from '@inviteflow/proto-gen';
import type { RsvpClaims } from './rsvp.token';

/** The audit name of a click: `rsvp:<token id>` (meeting history and `explain` show it as such). */
export const rsvpMailId = (tokenId: string): string => `rsvp:${tokenId}`;

/**
 * A click as the iTIP REPLY its attendee's client would have sent (RFC 5546 §3.2.3), in the form
 * the parser gives one (invite.parsed.v1), so the scheduling agent applies it by the same rules:
 * ATTENDEE with the PARTSTAT, the SEQUENCE answered, RECURRENCE-ID for one instance, DTSTAMP now
 * (a later click with another answer is newer and wins; RFC 5546 §2.1.5), From = the attendee
 * (the authority check: only the attendee reports their own status) and the envelope to the
 * organizer (whose copy it reaches). Pure.
 */
export function replyOf(claims: RsvpClaims, tokenId: string, now: Date): eventsV1.InviteParsed {
  const mailId = rsvpMailId(tokenId);
  const event = eventsV1.CalendarEvent.fromPartial({
    recurrenceId: claims.recurrenceId, sequence: claims.sequence, dtstamp: now,
    timeZoneSource: 'utc', organizer: { address: claims.organizer },
    attendees: [{ address: claims.attendee, partstat: claims.partstat, role: 'REQ-PARTICIPANT', cutype: 'INDIVIDUAL' }],
  });
  return eventsV1.InviteParsed.fromPartial({
    mailId, method: 'REPLY', uid: claims.uid, events: [event],
    mail: {
      envelopeFrom: claims.attendee, envelopeTo: [claims.organizer], from: claims.attendee, to: [claims.organizer], date: now,
    },
  });
}
