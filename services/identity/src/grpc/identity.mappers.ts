import { assertNever } from '@inviteflow/contracts';
import { identityV1 } from '@inviteflow/proto-gen';
import type { AssociateDoc, PersonDoc, UnresolvedDoc } from '../data/directory.documents';
import type { AssociateInput, PersonInput } from '../domain/directory.input';
import type { ImportOutcome, ImportRowInput } from '../domain/import.service';
import type { ResolutionResult } from '../domain/resolution';
import type { Suggestion } from '../domain/unresolved.service';

const { ResolutionKind, MatchedBy, ImportOutcome: Outcome } = identityV1;

export function toAssociate(a: AssociateDoc): identityV1.Associate {
  return { id: a._id, name: a.name, primaryAddress: a.primaryAddress, aliases: a.aliases, timeZone: a.timeZone, locale: a.locale, group: a.group };
}

export function toPerson(p: PersonDoc): identityV1.Person {
  return { id: p._id, name: p.name, company: p.company, addresses: p.addresses };
}

export function fromAssociate(a: identityV1.Associate): AssociateInput {
  return { id: a.id || undefined, name: a.name, primaryAddress: a.primaryAddress, aliases: a.aliases, timeZone: a.timeZone, locale: a.locale, group: a.group };
}

export function fromPerson(p: identityV1.Person): PersonInput {
  return { id: p.id || undefined, name: p.name, company: p.company, addresses: p.addresses };
}

export function fromImportRow(row: identityV1.ImportRow): ImportRowInput {
  if (row.associate) return { ref: row.ref, associate: fromAssociate(row.associate) };
  if (row.person) return { ref: row.ref, person: fromPerson(row.person) };
  return { ref: row.ref };
}

export const IMPORT_OUTCOME: Record<ImportOutcome, identityV1.ImportOutcome> = {
  CREATED: Outcome.IMPORT_OUTCOME_CREATED,
  UPDATED: Outcome.IMPORT_OUTCOME_UPDATED,
  UNCHANGED: Outcome.IMPORT_OUTCOME_UNCHANGED,
  REFUSED: Outcome.IMPORT_OUTCOME_REFUSED,
  FAILED: Outcome.IMPORT_OUTCOME_FAILED,
  NOT_ATTEMPTED: Outcome.IMPORT_OUTCOME_NOT_ATTEMPTED,
};

const MATCHED_BY = { primary: MatchedBy.MATCHED_BY_PRIMARY, alias: MatchedBy.MATCHED_BY_ALIAS, policy: MatchedBy.MATCHED_BY_POLICY } as const;

export function toResolution(r: ResolutionResult): identityV1.Resolution {
  const base: identityV1.Resolution = {
    address: r.address, normalizedAddress: r.normalized, canonicalAddress: r.canonical, candidates: [],
    kind: ResolutionKind.RESOLUTION_KIND_UNKNOWN, matchedBy: MatchedBy.MATCHED_BY_UNSPECIFIED, matchedAddress: '', policies: [], invalidReason: '',
  };
  switch (r.kind) {
    case 'associate':
      return { ...base, kind: ResolutionKind.RESOLUTION_KIND_ASSOCIATE, associate: toAssociate(r.associate), matchedBy: MATCHED_BY[r.matchedBy], matchedAddress: r.matchedAddress, policies: r.policies };
    case 'person':
      return { ...base, kind: ResolutionKind.RESOLUTION_KIND_PERSON, person: toPerson(r.person), matchedBy: MATCHED_BY[r.matchedBy], matchedAddress: r.matchedAddress, policies: r.policies };
    case 'ambiguous':
      return { ...base, kind: ResolutionKind.RESOLUTION_KIND_AMBIGUOUS, candidates: r.candidates.map(toPerson) };
    case 'unknown':
      return { ...base, invalidReason: r.invalidReason ?? '' };
    default:
      return assertNever(r, 'resolution');
  }
}

export function toUnresolved(doc: UnresolvedDoc, suggestions: Suggestion[]): identityV1.UnresolvedAddress {
  return {
    address: doc.address, canonicalAddress: doc._id, count: doc.count, firstSeen: doc.firstSeen, lastSeen: doc.lastSeen,
    displayNames: doc.displayNames, resolvedAt: doc.resolvedAt ?? undefined, resolvedTo: doc.resolvedTo ?? '',
    suggestions: suggestions.map((s) => ({ associate: toAssociate(s.associate), address: s.address, reason: s.reason })),
  };
}
