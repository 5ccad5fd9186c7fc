import type { AddressClaimDoc, AssociateDoc, PersonDoc, UnresolvedDoc } from './directory.model';

/**
 * What the identity use cases need of storage (ports; data/ implements them and the start-up
 * wiring hands the implementations in), so the domain never imports the data layer.
 * Failures are AppErrors: MONGO_UNAVAILABLE (retryable), MONGO_FAILURE, or the domain's own
 * codes (ADDRESS_TAKEN, CONFLICT) where a port says so.
 */

export type AssociateFields = Omit<AssociateDoc, '_id' | 'version' | 'createdAt' | 'updatedAt'>;
export type PersonFields = Omit<PersonDoc, '_id' | 'version' | 'createdAt' | 'updatedAt'>;

/** One address an associate wants to hold; `field` names it in a refusal ("aliases[1]"). */
export interface WantedClaim {
  key: string;
  address: string;
  field: string;
}

/** Tells whether `claim`'s owner really holds it (reads the owner's document). */
export type ClaimCheck = (claim: AddressClaimDoc) => Promise<boolean>;

/** address_claims: who holds each directory key; the uniqueness of associate addresses. */
export interface AddressClaimStore {
  findByKeys(keys: string[]): Promise<AddressClaimDoc[]>;
  ownerOf(key: string): Promise<string | undefined>;
  /**
   * Claims every wanted key for `ownerId`, or none: a key someone else really holds throws
   * ADDRESS_TAKEN naming it. Returns the keys newly claimed.
   */
  claimAll(ownerId: string, wanted: WantedClaim[], ownerHolds: ClaimCheck, now: Date): Promise<string[]>;
  /** Frees keys `ownerId` holds; a key held by someone else is left alone. */
  release(ownerId: string, keys: string[]): Promise<void>;
}

export interface AssociateStore {
  findById(id: string): Promise<AssociateDoc | null>;
  findByIds(ids: string[]): Promise<AssociateDoc[]>;
  /** 'conflict' when another writer created it first. */
  insert(doc: AssociateDoc): Promise<'created' | 'conflict'>;
  replaceIfVersion(id: string, expected: number, fields: AssociateFields, now: Date): Promise<'updated' | 'conflict'>;
  addAlias(id: string, alias: string, now: Date): Promise<AssociateDoc | null>;
  removeAlias(id: string, alias: string, now: Date): Promise<AssociateDoc | null>;
  delete(id: string): Promise<AssociateDoc | null>;
  page(afterId: string, limit: number): Promise<AssociateDoc[]>;
  idsByNameKeys(keys: string[]): Promise<Map<string, string[]>>;
  reindexName(id: string, from: string, to: string): Promise<void>;
}

export interface PersonStore {
  findById(id: string): Promise<PersonDoc | null>;
  findByIds(ids: string[]): Promise<PersonDoc[]>;
  /** Directory key → ids of the persons listing an address with that key. */
  idsByKeys(keys: string[]): Promise<Map<string, string[]>>;
  insert(doc: PersonDoc): Promise<'created' | 'conflict'>;
  replaceIfVersion(id: string, expected: number, fields: PersonFields, now: Date): Promise<'updated' | 'conflict'>;
  delete(id: string): Promise<PersonDoc | null>;
  index(personId: string, keys: string[]): Promise<void>;
  unindex(personId: string, keys: string[]): Promise<void>;
  page(afterId: string, limit: number): Promise<PersonDoc[]>;
}

/** One mail seen for an address nobody holds. */
export interface Sighting {
  key: string;
  address: string;
  domain: string;
  mailId: string;
  displayName: string;
  seenAt: Date;
}

export interface UnresolvedStore {
  /** Counts the sighting once per (address, mail); false when this mail was already counted. */
  note(s: Sighting): Promise<boolean>;
  markResolved(keys: string[], associateId: string, at: Date): Promise<void>;
  list(limit: number, includeResolved: boolean): Promise<{ docs: UnresolvedDoc[]; totalOpen: number }>;
}

export interface Directory {
  claims: AddressClaimStore;
  associates: AssociateStore;
  persons: PersonStore;
  unresolved: UnresolvedStore;
}
