import { identityV1 } from '@inviteflow/proto-gen';
import type { IdentityPort, UnresolvedSighting } from '../src/domain/identity.port';

/**
 * An in-memory identity service: address → associate id. Everything else is unknown. The
 * directory keys are the lower-cased addresses (no policies needed here).
 */
export class FakeIdentity implements IdentityPort {
  readonly holders = new Map<string, string>();
  readonly sightings: UnresolvedSighting[] = [];
  /** Answers of `resolve` (the cached path) may lag behind; `resolveFresh` never does. */
  stale = new Map<string, string | undefined>();

  async resolve(addresses: string[]): Promise<identityV1.Resolution[]> {
    return addresses.map((a) => this.answer(a, this.stale.has(a.toLowerCase()) ? this.stale.get(a.toLowerCase()) : this.holders.get(a.toLowerCase())));
  }

  async resolveFresh(addresses: string[]): Promise<identityV1.Resolution[]> {
    return addresses.map((a) => this.answer(a, this.holders.get(a.toLowerCase())));
  }

  async noteUnresolved(sightings: UnresolvedSighting[]): Promise<void> {
    this.sightings.push(...sightings);
  }

  private answer(address: string, holder: string | undefined): identityV1.Resolution {
    const key = address.trim().toLowerCase();
    return identityV1.Resolution.fromPartial({
      address, normalizedAddress: key, canonicalAddress: key,
      kind: holder ? identityV1.ResolutionKind.RESOLUTION_KIND_ASSOCIATE : identityV1.ResolutionKind.RESOLUTION_KIND_UNKNOWN,
      associate: holder ? { id: holder, primaryAddress: key } : undefined,
    });
  }
}
