import type { AddressClaimDoc, AssociateDoc, PersonDoc } from './directory.model';
import { canonicalAddress, PolicyRule, PolicySet } from './address.policy';

export type MatchedBy = 'primary' | 'alias' | 'policy';

interface Looked {
  /** As asked for. */
  address: string;
  /** Normalised; '' when the address is invalid. */
  normalized: string;
  /** Directory key; '' when invalid. */
  canonical: string;
}

interface Match {
  matchedBy: MatchedBy;
  /** The address as registered that matched. */
  matchedAddress: string;
  /** Policy rules that made the match (empty unless matchedBy is 'policy'). */
  policies: PolicyRule[];
}

export type ResolutionResult =
  | (Looked & Match & { kind: 'associate'; associate: AssociateDoc })
  | (Looked & Match & { kind: 'person'; person: PersonDoc })
  | (Looked & { kind: 'ambiguous'; candidates: PersonDoc[] })
  | (Looked & { kind: 'unknown'; invalidReason?: string });

/** What the directory holds for the keys of one batch (data/directory.reader). */
export interface DirectorySnapshot {
  claims: Map<string, AddressClaimDoc>;
  associates: Map<string, AssociateDoc>;
  personIds: Map<string, string[]>;
  persons: Map<string, PersonDoc>;
}

/** What one asked-for address became before the look-up. */
export type LookupKey = Looked & { invalidReason?: string };

/**
 * Pure: decides what one address is, given what the directory holds for its key. An
 * associate's claim wins over persons (internal users own their addresses); several persons
 * sharing an address are ambiguous, never a guess (domain.md §2: an ambiguous organiser gets
 * no contact link). A claim whose owner no longer lists an address with that key is a
 * leftover of an interrupted write and is ignored.
 */
export function resolveOne(key: LookupKey, dir: DirectorySnapshot, policies: PolicySet): ResolutionResult {
  const looked: Looked = { address: key.address, normalized: key.normalized, canonical: key.canonical };
  if (!key.canonical) return { ...looked, kind: 'unknown', invalidReason: key.invalidReason };
  const claim = dir.claims.get(key.canonical);
  const associate = claim && dir.associates.get(claim.ownerId);
  const held = associate && addressWithKey([associate.primaryAddress, ...associate.aliases], key.canonical, policies);
  if (associate && held) {
    const kind = held === associate.primaryAddress ? 'primary' : 'alias';
    return { ...looked, kind: 'associate', ...match(key.normalized, held, kind, policies), associate };
  }
  const candidates = [...new Set(dir.personIds.get(key.canonical) ?? [])]
    .map((id) => dir.persons.get(id))
    .flatMap((person) => {
      const address = person && addressWithKey(person.addresses, key.canonical, policies);
      return person && address ? [{ person, address }] : [];
    });
  if (candidates.length === 1) {
    const { person, address } = candidates[0]!;
    const kind = address === person.addresses[0] ? 'primary' : 'alias';
    return { ...looked, kind: 'person', ...match(key.normalized, address, kind, policies), person };
  }
  if (candidates.length > 1) return { ...looked, kind: 'ambiguous', candidates: candidates.map((c) => c.person) };
  return { ...looked, kind: 'unknown' };
}

/** The first of `addresses` whose directory key is `key`. */
export function addressWithKey(addresses: readonly string[], key: string, policies: PolicySet): string | undefined {
  return addresses.find((a) => canonicalAddress(a, policies).key === key);
}

function match(asked: string, registered: string, kind: 'primary' | 'alias', policies: PolicySet): Match {
  if (asked === registered) return { matchedBy: kind, matchedAddress: registered, policies: [] };
  // The rules applied to either spelling on the way to their common key.
  const rules = new Set([...canonicalAddress(asked, policies).rules, ...canonicalAddress(registered, policies).rules]);
  return { matchedBy: 'policy', matchedAddress: registered, policies: [...rules] };
}
