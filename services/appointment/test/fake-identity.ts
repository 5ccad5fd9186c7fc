import { identityV1 } from '@inviteflow/proto-gen';
import type { IdentityPort, UnresolvedSighting } from '../src/domain/identity.port';

/** What the fake knows of an associate beyond the address → id map. */
export interface FakeAssociate {
  primaryAddress: string;
  aliases?: string[];
  timeZone?: string;
  /** identity's Associate.group (the "Manage incoming invitations" group level). */
  group?: string;
}

/**
 * An in-memory identity service: address → associate id (`holders`), optionally with the
 * associate's details (`associates`: primary address, aliases, zone), and external persons'
 * addresses (`persons`). Everything else is unknown. The directory keys are the lower-cased
 * addresses (no policies needed here).
 */
export class FakeIdentity implements IdentityPort {
  readonly holders = new Map<string, string>();
  readonly associates = new Map<string, FakeAssociate>();
  /** address → person id; a person's addresses are every address mapped to the same id. */
  readonly persons = new Map<string, string>();
  readonly sightings: UnresolvedSighting[] = [];
  /** Answers of `resolve` (the cached path) may lag behind; `resolveFresh` never does. */
  stale = new Map<string, string | undefined>();

  /** Registers an associate under all their addresses. */
  addAssociate(id: string, details: FakeAssociate): void {
    this.associates.set(id, details);
    for (const a of [details.primaryAddress, ...(details.aliases ?? [])]) this.holders.set(a.toLowerCase(), id);
  }

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
    const person = this.persons.get(key);
    const kind = holder ? identityV1.ResolutionKind.RESOLUTION_KIND_ASSOCIATE
      : person ? identityV1.ResolutionKind.RESOLUTION_KIND_PERSON : identityV1.ResolutionKind.RESOLUTION_KIND_UNKNOWN;
    const details = holder ? this.associates.get(holder) : undefined;
    return identityV1.Resolution.fromPartial({
      address, normalizedAddress: key, canonicalAddress: key, kind,
      associate: holder ? { id: holder, primaryAddress: details?.primaryAddress ?? key, aliases: details?.aliases ?? [], timeZone: details?.timeZone ?? '', group: details?.group ?? '' } : undefined,
      person: person ? { id: person, addresses: [...this.persons].filter(([, id]) => id === person).map(([a]) => a) } : undefined,
    });
  }
}
