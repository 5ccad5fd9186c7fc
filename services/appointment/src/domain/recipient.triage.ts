import { eventsV1, identityV1 } from '@inviteflow/proto-gen';
import { copyOwnerOf, type CopyOwner } from './copy-owner';

const { ResolutionKind } = identityV1;

/** A recipient in one of our domains that nobody holds yet: the invite waits for them. */
export interface ParkTarget {
  /** The directory key identity gave (canonical address): what parked work is keyed on. */
  address: string;
  /** The ATTENDEE CN the invite gave this address, for identity's suggestions. */
  displayName: string;
}

export interface RecipientTriage {
  /** One per associate, even when the mail reached several of their addresses. */
  owners: CopyOwner[];
  park: ParkTarget[];
  /** Unknown addresses outside our domains, invalid ones, and persons: nothing to do. */
  ignored: string[];
}

/**
 * Pure: sorts a message's recipients by what their resolutions say. Associates get the
 * invite now. An unknown address in one of our domains is someone we should know (a new
 * colleague, an alias nobody registered yet): parked. Anything else is not ours.
 */
export function triageRecipients(invite: eventsV1.InviteParsed, resolutions: identityV1.Resolution[], ourDomains: string[]): RecipientTriage {
  const owners = new Map<string, CopyOwner>();
  const park = new Map<string, ParkTarget>();
  const ignored: string[] = [];
  for (const r of resolutions) {
    if (r.kind === ResolutionKind.RESOLUTION_KIND_ASSOCIATE && r.associate) {
      if (!owners.has(r.associate.id)) owners.set(r.associate.id, copyOwnerOf(r.normalizedAddress, r.associate));
    } else if (r.kind === ResolutionKind.RESOLUTION_KIND_UNKNOWN && r.canonicalAddress && isOurs(r, ourDomains)) {
      park.set(r.canonicalAddress, { address: r.canonicalAddress, displayName: displayNameOf(invite, r.normalizedAddress) });
    } else {
      ignored.push(r.address);
    }
  }
  return { owners: [...owners.values()], park: [...park.values()], ignored };
}

/** A domain is ours when it is listed or is a subdomain of a listed one (like ingest). */
export function isOurDomain(domain: string, ourDomains: string[]): boolean {
  return ourDomains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

function isOurs(r: identityV1.Resolution, ourDomains: string[]): boolean {
  return [r.normalizedAddress, r.canonicalAddress].some((a) => isOurDomain(a.slice(a.lastIndexOf('@') + 1), ourDomains));
}

function displayNameOf(invite: eventsV1.InviteParsed, address: string): string {
  for (const event of invite.events) {
    const party = event.attendees.find((p) => sameAddress(p.address, address));
    if (party?.name) return party.name;
  }
  return '';
}

function sameAddress(calAddress: string, address: string): boolean {
  return calAddress.replace(/^mailto:/i, '').trim().toLowerCase() === address;
}
