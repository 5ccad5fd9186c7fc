import type { AddressClaimDoc, AssociateDoc, PersonDoc } from '../data/directory.documents';

export type ResolutionResult =
  | { kind: 'associate'; address: string; normalized: string; matchedBy: 'primary' | 'alias'; associate: AssociateDoc }
  | { kind: 'person'; address: string; normalized: string; matchedBy: 'primary'; person: PersonDoc }
  | { kind: 'ambiguous'; address: string; normalized: string; candidates: PersonDoc[] }
  | { kind: 'unknown'; address: string; normalized: string };

export interface DirectorySnapshot {
  claims: Map<string, AddressClaimDoc>;
  associates: Map<string, AssociateDoc>;
  personsByAddress: Map<string, PersonDoc[]>;
}

/**
 * Pure: decides what one address is, given what the directory holds for it. An associate's
 * claim wins over persons (internal users own their addresses); several persons sharing an
 * address are ambiguous, never a guess (domain.md §2: an ambiguous organiser gets no link).
 */
export function resolveOne(address: string, normalized: string | undefined, dir: DirectorySnapshot): ResolutionResult {
  if (!normalized) return { kind: 'unknown', address, normalized: '' };
  const claim = dir.claims.get(normalized);
  const associate = claim && dir.associates.get(claim.ownerId);
  if (claim && associate) {
    return { kind: 'associate', address, normalized, matchedBy: claim.kind === 'primary' ? 'primary' : 'alias', associate };
  }
  const persons = dir.personsByAddress.get(normalized) ?? [];
  if (persons.length === 1) return { kind: 'person', address, normalized, matchedBy: 'primary', person: persons[0]! };
  if (persons.length > 1) return { kind: 'ambiguous', address, normalized, candidates: persons };
  return { kind: 'unknown', address, normalized };
}
