import type { identityV1 } from '@inviteflow/proto-gen';

/**
 * What the appointment service asks of the identity service. Any number of addresses may be
 * given: an implementation stays under identity's batch limit itself (chunks).
 */
export interface IdentityLookup {
  resolve(addresses: string[]): Promise<identityV1.Resolution[]>;
}

/** Looks one associate up by id (or any address they hold); for `meeting import` and other commands. */
export interface AssociateDirectory {
  /** undefined when nobody has that id or address. */
  getAssociate(owner: string): Promise<identityV1.Associate | undefined>;
}

export interface UnresolvedSighting {
  address: string;
  displayName: string;
  mailId: string;
  seenAt: Date;
}

export interface IdentityPort extends IdentityLookup {
  /** Always asks identity, never a cache: for decisions that must see the latest directory. */
  resolveFresh(addresses: string[]): Promise<identityV1.Resolution[]>;
  /** Tells identity mail arrived for addresses nobody holds (counts and suggestions there). */
  noteUnresolved(sightings: UnresolvedSighting[]): Promise<void>;
}
