import { identityV1 } from '@inviteflow/proto-gen';

const { ResolutionKind, MatchedBy } = identityV1;

/** "John Doe <john@contoso.com>" */
export function associateLabel(a: identityV1.Associate | undefined): string {
  return a ? `${a.name} <${a.primaryAddress}>` : '';
}

export function personLabel(p: identityV1.Person | undefined): string {
  return p ? `${p.name || '(no name)'}${p.company ? `, ${p.company}` : ''}${p.addresses[0] ? ` <${p.addresses[0]}>` : ''}` : '';
}

export function kindName(r: identityV1.Resolution): string {
  return (ResolutionKind[r.kind] ?? 'UNSPECIFIED').replace('RESOLUTION_KIND_', '').toLowerCase();
}

export function matchedByName(r: identityV1.Resolution): string {
  return r.matchedBy === MatchedBy.MATCHED_BY_UNSPECIFIED ? '' : (MatchedBy[r.matchedBy] ?? '').replace('MATCHED_BY_', '').toLowerCase();
}

/** Who an address resolves to, in words. */
export function whoOf(r: identityV1.Resolution): string {
  switch (r.kind) {
    case ResolutionKind.RESOLUTION_KIND_ASSOCIATE:
      return `associate ${associateLabel(r.associate)}`;
    case ResolutionKind.RESOLUTION_KIND_PERSON:
      return `person ${personLabel(r.person)}`;
    case ResolutionKind.RESOLUTION_KIND_AMBIGUOUS:
      return `ambiguous: ${r.candidates.map(personLabel).join(' | ')}`;
    default:
      return r.invalidReason ? 'invalid address' : 'nobody';
  }
}

/** Why: how it matched, or why it did not. */
export function whyOf(r: identityV1.Resolution): string {
  if (r.invalidReason) return r.invalidReason;
  switch (r.matchedBy) {
    case MatchedBy.MATCHED_BY_PRIMARY:
      return `primary address ${r.matchedAddress}`;
    case MatchedBy.MATCHED_BY_ALIAS:
      return `alias ${r.matchedAddress}`;
    case MatchedBy.MATCHED_BY_POLICY:
      return `policy (${r.policies.join(', ')}): same mailbox as ${r.matchedAddress}`;
    default:
      if (r.kind === ResolutionKind.RESOLUTION_KIND_AMBIGUOUS) return `${r.candidates.length} persons share ${r.canonicalAddress}`;
      return `no associate or person holds ${r.canonicalAddress}`;
  }
}

export function date(d: Date | undefined): string {
  return d ? d.toISOString().replace('.000Z', 'Z') : '';
}
