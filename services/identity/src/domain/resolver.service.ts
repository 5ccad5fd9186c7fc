import { IDENTITY_LIMITS } from '@inviteflow/contracts';
import type { AssociateDoc } from './directory.model';
import { lookupKey } from './directory.keys';
import { IDENTITY_ERROR_CODES, notFound } from './identity.errors';
import type { Directory, IdentityDeps } from './identity.deps';
import { addressWithKey, DirectorySnapshot, resolveOne, ResolutionResult } from './resolution';
import { AppError } from '@inviteflow/runtime';
import type { PolicySet } from './address.policy';

/** Addresses per resolve: the contract's limit, which clients chunk by (libs/contracts). */
export const MAX_RESOLVE_BATCH = IDENTITY_LIMITS.resolveBatchMax;

/** Read-side use cases: resolve addresses, find an associate by id or address. */
export class ResolverService {
  constructor(private readonly deps: IdentityDeps) {}

  /**
   * Database round trips per batch, whatever its size: 1 (claims by key) + 1 (their
   * associates) + 1 (person ids for keys no associate holds) + 1 (those persons); steps with
   * nothing to look up are skipped. Every look-up is an equality on `_id`.
   */
  async resolve(addresses: string[]): Promise<ResolutionResult[]> {
    if (addresses.length > MAX_RESOLVE_BATCH) {
      throw new AppError({ code: IDENTITY_ERROR_CODES.batchTooLarge, message: `addresses: at most ${MAX_RESOLVE_BATCH} per call, got ${addresses.length}`, retryable: false, details: { field: 'addresses' } });
    }
    const keys = addresses.map((a) => lookupKey(a, this.deps.policies));
    const distinct = [...new Set(keys.map((k) => k.canonical).filter(Boolean))];
    const snapshot = await readSnapshot(this.deps.dir, distinct, this.deps.policies);
    return keys.map((k) => resolveOne(k, snapshot, this.deps.policies));
  }

  /** `owner` is an associate's id or any address it holds. */
  async associateOf(owner: string): Promise<AssociateDoc> {
    const trimmed = owner.trim();
    if (!trimmed) throw notFound(IDENTITY_ERROR_CODES.ownerNotFound, 'owner: an associate id or address is required');
    if (trimmed.includes('@')) {
      const [r] = await this.resolve([trimmed]);
      if (r?.kind === 'associate') return r.associate;
    }
    const byId = await this.deps.dir.associates.findById(trimmed);
    if (byId) return byId;
    throw notFound(IDENTITY_ERROR_CODES.ownerNotFound, `owner: no associate has the id or address "${trimmed}"`);
  }
}

export async function readSnapshot(dir: Directory, keys: string[], policies: PolicySet): Promise<DirectorySnapshot> {
  const claims = await dir.claims.findByKeys(keys);
  const associates = await dir.associates.findByIds([...new Set(claims.map((c) => c.ownerId))]);
  const byId = new Map(associates.map((a) => [a._id, a]));
  const held = new Set(claims.filter((c) => {
    const a = byId.get(c.ownerId);
    return a && addressWithKey([a.primaryAddress, ...a.aliases], c._id, policies);
  }).map((c) => c._id));
  const personIds = await dir.persons.idsByKeys(keys.filter((k) => !held.has(k)));
  const persons = await dir.persons.findByIds([...new Set([...personIds.values()].flat())]);
  return {
    claims: new Map(claims.map((c) => [c._id, c])),
    associates: byId,
    personIds,
    persons: new Map(persons.map((p) => [p._id, p])),
  };
}
