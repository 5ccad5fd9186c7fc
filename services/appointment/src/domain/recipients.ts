import type { eventsV1 } from '@inviteflow/proto-gen';

/** The copies a message reaches are its recipients' (the envelope: who the mail was delivered to). */
export function recipientAddresses(invite: eventsV1.InviteParsed): string[] {
  const envelope = invite.mail?.envelopeTo ?? [];
  return [...new Set(envelope.map((a) => a.toLowerCase()))];
}

/**
 * Methods worth parking for an address nobody holds yet: every scheduling method (a REPLY to
 * an organizer's alias matters as much as a REQUEST). PUBLISH schedules nothing (RFC 5546
 * §3.2.1) and an unknown METHOD is not iTIP.
 */
export function worthParking(method: string): boolean {
  return ['REQUEST', 'REPLY', 'ADD', 'CANCEL', 'REFRESH', 'COUNTER', 'DECLINECOUNTER'].includes(method.toUpperCase());
}
