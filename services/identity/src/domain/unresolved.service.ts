import type { AssociateDoc, UnresolvedDoc } from './directory.model';
import { keyOf } from './directory.keys';
import type { IdentityDeps } from './identity.deps';
import type { ResolverService } from './resolver.service';
import { suggestionProbe } from './unresolved.suggest';

export interface SightingInput {
  address: string;
  displayName: string;
  mailId: string;
  seenAt?: Date;
}

export interface Suggestion {
  associate: AssociateDoc;
  address: string;
  reason: string;
}

export interface UnresolvedView {
  doc: UnresolvedDoc;
  suggestions: Suggestion[];
}

const MAX_SUGGESTIONS = 5;

/**
 * Addresses in our domains that mail arrived for while nobody held them (the appointment
 * service parks such invites and reports them here), with suggestions of who they may be.
 */
export class UnresolvedService {
  constructor(private readonly deps: IdentityDeps, private readonly resolver: ResolverService) {}

  /**
   * Re-resolves first: an address that became known in the meantime is not counted.
   * Round trips: the resolve (≤ 4 per batch) + 1-2 per sighting counted.
   */
  async note(sightings: SightingInput[]): Promise<number> {
    const results = await this.resolver.resolve(sightings.map((s) => s.address));
    let recorded = 0;
    for (const [i, s] of sightings.entries()) {
      const r = results[i]!;
      if (r.kind === 'associate' || !r.canonical || !s.mailId) continue;
      const counted = await this.deps.dir.unresolved.note({
        key: r.canonical, address: r.normalized, domain: r.canonical.slice(r.canonical.lastIndexOf('@') + 1),
        mailId: s.mailId, displayName: s.displayName.trim().slice(0, 200), seenAt: s.seenAt ?? this.deps.now(),
      });
      if (counted) recorded++;
    }
    return recorded;
  }

  /**
   * Suggestions are computed now, never stored, so they follow the directory. Round trips:
   * 1 (the list) + 2 (variant claims and their associates) + 2 (names and their associates).
   */
  async list(limit: number, includeResolved: boolean): Promise<{ entries: UnresolvedView[]; totalOpen: number }> {
    const { docs, totalOpen } = await this.deps.dir.unresolved.list(limit, includeResolved);
    const probes = docs.map((d) => suggestionProbe(d.address, d.displayNames));
    const variantKeys = new Map<string, string>();
    for (const p of probes) for (const v of p.variants) variantKeys.set(keyOf(v, this.deps.policies), v);
    const claims = await this.deps.dir.claims.findByKeys([...variantKeys.keys()]);
    const nameIds = await this.deps.dir.associates.idsByNameKeys([...new Set(probes.flatMap((p) => p.names.map((n) => n.key)))]);
    const ids = new Set([...claims.map((c) => c.ownerId), ...[...nameIds.values()].flat()]);
    const associates = new Map((await this.deps.dir.associates.findByIds([...ids])).map((a) => [a._id, a]));
    const owners = new Map(claims.map((c) => [c._id, associates.get(c.ownerId)]));
    const entries = docs.map((doc, i) => {
      const probe = probes[i]!;
      const found: Suggestion[] = [];
      for (const n of probe.names.filter((x) => x.reason === 'display name')) {
        for (const id of nameIds.get(n.key) ?? []) pushIfKnown(found, associates.get(id), `display name "${n.key}"`);
      }
      for (const v of probe.variants) {
        const owner = owners.get(keyOf(v, this.deps.policies));
        if (owner) found.push({ associate: owner, address: v, reason: 'local-part variant' });
      }
      for (const n of probe.names.filter((x) => x.reason === 'local part as name')) {
        for (const id of nameIds.get(n.key) ?? []) pushIfKnown(found, associates.get(id), `name "${n.key}" from the local part`);
      }
      return { doc, suggestions: distinctByAssociate(found).slice(0, MAX_SUGGESTIONS) };
    });
    return { entries, totalOpen };
  }
}

function pushIfKnown(found: Suggestion[], associate: AssociateDoc | undefined, reason: string): void {
  if (associate) found.push({ associate, address: associate.primaryAddress, reason });
}

function distinctByAssociate(list: Suggestion[]): Suggestion[] {
  const seen = new Set<string>();
  return list.filter((s) => !seen.has(s.associate._id) && seen.add(s.associate._id));
}
