import { AppError } from '@inviteflow/runtime';
import type { PolicySet } from './address.policy';
import type { KeyedAddress, ValidAssociate } from './directory.input';
import { keyOf, nameKey } from './directory.keys';
import type { AddressClaimDoc, AssociateDoc } from './directory.model';
import type { AssociateFields } from './directory.ports';
import { IDENTITY_ERROR_CODES } from './identity.errors';
import { addressWithKey } from './resolution';

/**
 * How an upsert treats an address another associate holds, and the addresses the associate
 * holds that the input leaves out. UpsertAssociate writes the associate as given
 * (`AS_GIVEN`); the bulk import is stricter about whose row a row is and keeps what it does
 * not list (docs/identity.md, "Bulk import: which source wins").
 */
export interface UpsertPolicy {
  /** 'replace': the input lists every address the associate keeps. 'keep': unlisted ones stay. */
  unlisted: 'replace' | 'keep';
  /**
   * Without an id, the associate holding the primary address is the input's own only under
   * the same name (nameKey: case, accents, punctuation and word order aside); under another
   * name the address is someone else's and the input is refused, never a rename.
   */
  sameNameToMatch: boolean;
  /** Take aliases that other associates hold (they lose them) instead of refusing. Never a primary. */
  moveAliases: boolean;
}

export const AS_GIVEN: UpsertPolicy = { unlisted: 'replace', sameNameToMatch: false, moveAliases: false };

/** What the directory holds for the input's keys: claims by key, their owners by id. */
export interface HeldAddresses {
  claims: Map<string, AddressClaimDoc>;
  owners: Map<string, AssociateDoc>;
}

/** An address of the input that another associate holds, and which of its addresses it is. */
export interface HeldElsewhere {
  wanted: KeyedAddress;
  owner: AssociateDoc;
  held: string;
}

/** Pure: whose input this is. undefined means a new associate. */
export function targetId(v: ValidAssociate, held: HeldAddresses, policy: UpsertPolicy, policies: PolicySet): string | undefined {
  if (v.id) return v.id;
  const claim = held.claims.get(v.primary.key);
  if (!claim) return undefined;
  const owner = held.owners.get(claim.ownerId);
  // A claim its owner does not list is an interrupted registration: complete it under its id.
  if (!owner || !addressWithKey(addressesOf(owner), v.primary.key, policies)) return claim.ownerId;
  if (policy.sameNameToMatch && nameKey(owner.name) !== nameKey(v.name)) return undefined;
  return owner._id;
}

/** Pure: the input's addresses that an associate other than `id` really holds. */
export function heldElsewhere(v: ValidAssociate, id: string, held: HeldAddresses, policies: PolicySet): HeldElsewhere[] {
  const found: HeldElsewhere[] = [];
  for (const wanted of [v.primary, ...v.aliases]) {
    const claim = held.claims.get(wanted.key);
    const owner = claim && claim.ownerId !== id ? held.owners.get(claim.ownerId) : undefined;
    const address = owner && addressWithKey(addressesOf(owner), wanted.key, policies);
    if (owner && address) found.push({ wanted, owner, held: address });
  }
  return found;
}

/**
 * Pure: refuses the input when an address it wants is held elsewhere and may not be moved —
 * always without `moveAliases`, and for another associate's primary address even with it
 * (that associate would be left without one). Returns the aliases to move otherwise.
 */
export function aliasesToMove(conflicts: HeldElsewhere[], policy: UpsertPolicy): HeldElsewhere[] {
  const blocking = conflicts.find((c) => !policy.moveAliases || c.held === c.owner.primaryAddress);
  if (blocking) throw heldByOther(blocking, policy);
  return conflicts;
}

/** Pure: the fields to store, and the addresses the write keeps or removes beyond the input. */
export function plannedFields(v: ValidAssociate, existing: AssociateDoc | null, policy: UpsertPolicy, policies: PolicySet): {
  fields: AssociateFields; kept: string[]; removed: string[];
} {
  const listed = new Set([v.primary.key, ...v.aliases.map((a) => a.key)]);
  const unlisted = existing ? addressesOf(existing).filter((a) => !listed.has(keyOf(a, policies))) : [];
  const keep = policy.unlisted === 'keep' ? distinctByKey(unlisted, policies) : [];
  const fields: AssociateFields = {
    name: v.name, primaryAddress: v.primary.address, aliases: [...v.aliases.map((a) => a.address), ...keep],
    timeZone: v.timeZone, locale: v.locale, group: v.group,
  };
  return { fields, kept: keep, removed: policy.unlisted === 'keep' ? [] : unlisted };
}

export function addressesOf(a: Pick<AssociateDoc, 'primaryAddress' | 'aliases'>): string[] {
  return [a.primaryAddress, ...a.aliases];
}

function distinctByKey(addresses: string[], policies: PolicySet): string[] {
  const seen = new Set<string>();
  return addresses.filter((a) => !seen.has(keyOf(a, policies)) && seen.add(keyOf(a, policies)));
}

/**
 * ADDRESS_TAKEN naming the holder (id, name, primary address), so whoever reads the import
 * report knows whose address it is and what to do about it.
 */
function heldByOther(c: HeldElsewhere, policy: UpsertPolicy): AppError {
  const isPrimary = c.held === c.owner.primaryAddress;
  const hint = isPrimary
    ? policy.moveAliases ? 'a primary address is never moved; change that associate\'s primary address first' : 'to update that associate, give its id'
    : 'move it explicitly (directory import --move-addresses) or remove it there first';
  return new AppError({
    code: IDENTITY_ERROR_CODES.addressTaken, retryable: false,
    message: `${c.wanted.field}: ${c.wanted.address} already belongs to associate ${c.owner._id} (${c.owner.name} <${c.owner.primaryAddress}>) as its ${isPrimary ? 'primary address' : 'alias'}; ${hint}`,
    details: {
      field: c.wanted.field, address: c.wanted.address, owner: c.owner._id,
      ownerId: c.owner._id, ownerName: c.owner.name, ownerAddress: c.owner.primaryAddress, heldAs: isPrimary ? 'primary' : 'alias',
    },
  });
}
