import { eventsV1, identityV1 } from '@inviteflow/proto-gen';

const { ResolutionKind } = identityV1;

/**
 * The mail's author as the headers claim: From, and Sender when someone sends on another's
 * behalf (RFC 5322 §3.6.2). Reply-To is not authorship. Lowercase, without duplicates.
 */
export function senderHeaderAddresses(invite: eventsV1.InviteParsed): string[] {
  const from = (invite.mail?.from ?? '').trim().toLowerCase();
  const sender = (invite.mail?.sender ?? '').trim().toLowerCase();
  // Sender authentication (issue 15 pt 4) vouches for the From domain only: a Sender in
  // another domain is unauthenticated and must not let a REPLY speak for its address.
  const senderCounts = !invite.mail?.authentication || domainOf(sender) === domainOf(from);
  return [...new Set([from, senderCounts ? sender : ''].filter(Boolean))];
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/**
 * Pure: every address of whoever sent the mail, for libs/itip's authority checks (a REPLY is
 * applied only when it comes from the attendee it is about, aliases included): the header
 * addresses themselves plus every address identity holds for the associate or person they
 * resolve to.
 */
export function senderAddressesOf(headerAddresses: string[], resolutions: identityV1.Resolution[]): string[] {
  const all = new Set(headerAddresses);
  for (const r of resolutions) {
    if (r.normalizedAddress) all.add(r.normalizedAddress.toLowerCase());
    if (r.kind === ResolutionKind.RESOLUTION_KIND_ASSOCIATE && r.associate) {
      for (const a of [r.associate.primaryAddress, ...r.associate.aliases]) if (a) all.add(a.toLowerCase());
    } else if (r.kind === ResolutionKind.RESOLUTION_KIND_PERSON && r.person) {
      for (const a of r.person.addresses) if (a) all.add(a.toLowerCase());
    }
  }
  return [...all];
}
