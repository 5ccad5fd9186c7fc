/**
 * Documents of the identity service's own database (no other service reads them).
 *
 * Every look-up on a hot path is an equality on `_id` (the one index both real MongoDB and
 * the local stand-in always use, docs/mongo-stand-in.md): addresses are looked up through
 * documents whose `_id` is the address's directory key (domain/address.policy), never
 * through a secondary index.
 */
export interface AssociateDoc {
  _id: string;
  name: string;
  /** Normalised (domain/address.normalise), as registered; the key is derived by policy. */
  primaryAddress: string;
  aliases: string[];
  timeZone: string;
  locale: string;
  group: string;
  /** Bumped by every change; part of the identity.changed.v1 msgId. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One document per address an associate holds, keyed by the address's directory key, so
 * uniqueness across the whole directory is the primary key's and a look-up is a single-key
 * equality. Written before the associate document and released after it, so a crash in
 * between leaves a claim its owner does not list: resolution ignores such a claim, and a
 * registration of the address after a grace period takes it over
 * (data/address-claim.repository).
 */
export interface AddressClaimDoc {
  _id: string;
  ownerId: string;
  /** The normalised address as registered; informative (resolution reads the owner's list). */
  address: string;
  claimedAt: Date;
}

export interface PersonDoc {
  _id: string;
  name: string;
  company: string;
  addresses: string[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

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

/** An address in one of our domains that mail arrived for while nobody held it. */
export interface UnresolvedDoc {
  _id: string;
  address: string;
  domain: string;
  /** Distinct mails (by mail id) seen for the address. */
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  /** The last few distinct display names the mail gave it. */
  displayNames: string[];
  /** The last few mail ids, so a redelivered message is not counted twice. */
  mailIds: string[];
  resolvedAt?: Date | null;
  resolvedTo?: string | null;
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
