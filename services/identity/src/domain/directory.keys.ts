import { isAppError } from '@inviteflow/runtime';
import { canonicalAddress, PolicySet } from './address.policy';
import { normaliseAddress } from './address.normalise';
import type { LookupKey } from './resolution';

/** An asked-for address → its normalised form and directory key, or why it has none. */
export function lookupKey(address: string, policies: PolicySet): LookupKey {
  try {
    const normalized = normaliseAddress(address);
    return { address, normalized, canonical: canonicalAddress(normalized, policies).key };
  } catch (err) {
    if (!isAppError(err)) throw err;
    return { address, normalized: '', canonical: '', invalidReason: err.message };
  }
}

/** The directory key of an address that is already normalised. */
export function keyOf(normalised: string, policies: PolicySet): string {
  return canonicalAddress(normalised, policies).key;
}

/**
 * A person's name reduced to what survives spelling differences: diacritics dropped, case
 * folded, punctuation gone and the words sorted, so "Doe, John", "john doe" and "Jöhn DOE"
 * meet. '' when nothing is left.
 */
export function nameKey(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return [...new Set(words)].sort().join(' ');
}
