import { AppError } from '@inviteflow/runtime';
import { AssociateInput, DirectoryRepository, PersonInput, UpsertOutcome } from '../data/directory.repository';
import type { AssociateDoc, PersonDoc } from '../data/directory.documents';
import { normaliseAddress, tryNormaliseAddress } from './address.normalise';
import { DirectorySnapshot, resolveOne, ResolutionResult } from './resolution';

/** Tells other services which addresses' resolutions changed (identity.changed.v1). */
export type PublishIdentityChanged = (change: { addresses: string[]; entityId: string; change: string }) => Promise<void>;

const MAX_BATCH = 1000;

/** The identity use cases, independent of gRPC. */
export class IdentityService {
  constructor(
    private readonly repo: DirectoryRepository,
    private readonly publishChanged: PublishIdentityChanged,
  ) {}

  async resolve(addresses: string[]): Promise<ResolutionResult[]> {
    if (addresses.length > MAX_BATCH) {
      throw new AppError({ code: 'INVALID_ARGUMENT', message: `at most ${MAX_BATCH} addresses per call, got ${addresses.length}`, retryable: false });
    }
    const normalized = addresses.map((a) => tryNormaliseAddress(a));
    const keys = [...new Set(normalized.filter((n): n is string => n !== undefined))];
    const claims = await this.repo.findClaims(keys);
    const associates = await this.repo.findAssociates([...new Set(claims.map((c) => c.ownerId))]);
    const claimed = new Set(claims.map((c) => c._id));
    const personsByAddress = await this.repo.findPersonsByAddress(keys.filter((k) => !claimed.has(k)));
    const snapshot: DirectorySnapshot = {
      claims: new Map(claims.map((c) => [c._id, c])),
      associates: new Map(associates.map((a) => [a._id, a])),
      personsByAddress,
    };
    return addresses.map((address, i) => resolveOne(address, normalized[i], snapshot));
  }

  async upsertAssociate(input: AssociateInput): Promise<{ associate: AssociateDoc; outcome: UpsertOutcome }> {
    if (!input.name.trim()) throw invalid('associate.name is required');
    const primaryAddress = normaliseAddress(input.primaryAddress);
    const aliases = [...new Set(input.aliases.map(normaliseAddress))];
    const before = input.id ? await this.repo.findAssociate(input.id) : null;
    const result = await this.repo.upsertAssociate({ ...input, primaryAddress, aliases });
    if (result.outcome !== 'UNCHANGED') {
      const touched = new Set([primaryAddress, ...aliases, ...(before ? [before.primaryAddress, ...before.aliases] : [])]);
      await this.publishChanged({ addresses: [...touched], entityId: result.associate._id, change: `associate.${result.outcome.toLowerCase()}` });
    }
    return result;
  }

  async upsertPerson(input: PersonInput): Promise<{ person: PersonDoc; outcome: UpsertOutcome }> {
    if (!input.name.trim() && input.addresses.length === 0) throw invalid('a person needs a name or an address');
    const addresses = [...new Set(input.addresses.map(normaliseAddress))];
    const result = await this.repo.upsertPerson({ ...input, addresses });
    if (result.outcome !== 'UNCHANGED') {
      await this.publishChanged({ addresses, entityId: result.person._id, change: `person.${result.outcome.toLowerCase()}` });
    }
    return result;
  }

  /** `owner` is the associate's id or any address it holds. */
  async addAlias(owner: string, alias: string): Promise<AssociateDoc> {
    const normalizedAlias = normaliseAddress(alias);
    const ownerId = await this.ownerId(owner);
    const associate = await this.repo.addAlias(ownerId, normalizedAlias);
    await this.publishChanged({ addresses: [normalizedAlias], entityId: ownerId, change: 'alias.added' });
    return associate;
  }

  private async ownerId(owner: string): Promise<string> {
    const asAddress = tryNormaliseAddress(owner);
    if (asAddress) {
      const [claim] = await this.repo.findClaims([asAddress]);
      if (claim) return claim.ownerId;
    }
    const byId = await this.repo.findAssociate(owner);
    if (byId) return byId._id;
    throw new AppError({ code: 'NOT_FOUND', message: `no associate has the id or address "${owner}"`, retryable: false });
  }
}

function invalid(message: string): AppError {
  return new AppError({ code: 'INVALID_ARGUMENT', message, retryable: false });
}
