/**
 * The directory's records as the use cases see them. They are also the shape the data layer
 * stores (data/directory.documents.ts adds the storage-only documents and collection names),
 * so a record crosses the port without copying.
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
