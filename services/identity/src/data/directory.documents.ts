/**
 * Documents of the identity service's own database (no other service reads them).
 *
 * Every look-up on a hot path is an equality on `_id` (the one index both real MongoDB and
 * the local stand-in always use, docs/mongo-stand-in.md): addresses are looked up through
 * documents whose `_id` is the address's directory key (domain/address.policy), never
 * through a secondary index.
 */
export type { AddressClaimDoc, AssociateDoc, PersonDoc, UnresolvedDoc } from '../domain/directory.model';

/**
 * Several persons may share an address (an info@ mailbox): one document per directory key
 * listing them, changed with $addToSet / $pull so concurrent writers never lose each other.
 * A document whose list became empty is left in place: deleting it would need a condition
 * beyond `_id`, and an unconditional delete could race with a concurrent add.
 */
export interface PersonAddressDoc {
  _id: string;
  personIds: string[];
}

/** Associates by normalised name (domain/name.key), for "matching display name" suggestions. */
export interface AssociateNameDoc {
  _id: string;
  associateIds: string[];
}

/** Bookkeeping: the policy fingerprint the keys above were written under. */
export interface DirectoryMetaDoc {
  _id: string;
  policyFingerprint: string;
  /** The policies themselves, as JSON (domain names hold dots, field names should not). */
  policiesJson?: string;
  rekeyedAt: Date;
}

export const COLLECTIONS = {
  associates: 'associates',
  addressClaims: 'address_claims',
  persons: 'persons',
  personAddresses: 'person_address_keys',
  associateNames: 'associate_names',
  unresolved: 'unresolved_addresses',
  meta: 'directory_meta',
} as const;
