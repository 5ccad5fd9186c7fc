// Who may say what (RFC 5546 §3.2, domain.md §3 "Authority"): only the organizer changes or
// cancels; only an attendee reports their own status. Parties come from the iCalendar, and are
// checked against the sender's addresses that identity resolved (never Sender/Reply-To alone).
import type { ApplyContext } from './context';
import type { Attendee, Meeting, Party } from './meeting.model';

/** The incoming ORGANIZER is the stored one, their SENT-BY, or another address of the same sender. */
export function organizerMatches(stored: Party, incoming: Party, ctx: ApplyContext): boolean {
  if (!incoming.address) return false;
  if (incoming.address === stored.address || (stored.sentBy !== '' && incoming.address === stored.sentBy)) return true;
  return ctx.senderAddresses.includes(stored.address) && ctx.senderAddresses.includes(incoming.address);
}

/** The iCalendar party (or their SENT-BY) is the mail's sender, as identity resolved it. */
export function sentByParty(party: Party, ctx: ApplyContext): boolean {
  return ctx.senderAddresses.includes(party.address) || (party.sentBy !== '' && ctx.senderAddresses.includes(party.sentBy));
}

/**
 * The stored attendee the incoming party stands for: the same address, or (when the sender is
 * that party) any address identity knows as the sender's, so an alias still matches.
 */
export function findInvited(attendees: Attendee[], party: Party, ctx: ApplyContext): Attendee | undefined {
  const same = attendees.find((a) => a.address === party.address);
  if (same) return same;
  if (!ctx.senderAddresses.includes(party.address)) return undefined;
  return attendees.find((a) => ctx.senderAddresses.includes(a.address));
}

export function isOwnerAddress(m: Pick<Meeting, 'owner'> | ApplyContext, address: string): boolean {
  return m.owner.addresses.includes(address);
}
