import { randomUUID } from 'node:crypto';
import { AppError } from '@inviteflow/runtime';
import {
  addressesOf, aliasesToMove, AS_GIVEN, HeldAddresses, HeldElsewhere, heldElsewhere, plannedFields, targetId, UpsertPolicy,
} from './associate.upsert-plan';
import { AssociateInput, keyed, KeyedAddress, validateAssociate } from './directory.input';
import { keyOf, nameKey } from './directory.keys';
import type { AddressClaimDoc, AssociateDoc } from './directory.model';
import type { AssociateFields } from './directory.ports';
import type { IdentityChange, IdentityDeps } from './identity.deps';
import { IDENTITY_ERROR_CODES, notFound } from './identity.errors';
import { addressWithKey } from './resolution';
import type { ResolverService } from './resolver.service';

export { addressesOf } from './associate.upsert-plan';

export type UpsertOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface UpsertResult {
  associate: AssociateDoc;
  outcome: UpsertOutcome;
  /** Addresses the associate held and no longer does (not listed, policy 'replace'). */
  removed: string[];
  /** Addresses the associate holds that the input did not list, kept (policy 'keep'). */
  kept: string[];
  /** Aliases taken from other associates (policy moveAliases). */
  moved: Array<{ address: string; fromId: string; fromName: string }>;
}

/**
 * Associates and their addresses. Write order, so an interrupted call never makes an address
 * resolve wrongly: claim new keys → write the associate → release dropped keys → publish.
 * Round trips: upsert = 2 reads (claims of its keys, their holders; +1 when an id is given
 * that holds none) + 1 per new key + 1 write + (release, name index, resolved marks, only
 * when something changed) + 3 per alias moved; add/remove alias = 3-4.
 */
export class AssociateService {
  constructor(private readonly deps: IdentityDeps, private readonly resolver: ResolverService) {}

  async upsert(input: AssociateInput, policy: UpsertPolicy = AS_GIVEN): Promise<UpsertResult> {
    const { policies, dir } = this.deps;
    const v = validateAssociate(input, policies);
    const held = await this.heldAddresses([v.primary, ...v.aliases]);
    const id = targetId(v, held, policy, policies) ?? randomUUID();
    const moves = aliasesToMove(heldElsewhere(v, id, held, policies), policy);
    const existing = held.owners.get(id) ?? (await dir.associates.findById(id));
    const { fields, kept, removed } = plannedFields(v, existing, policy, policies);
    const moved = moves.map((m) => ({ address: m.held, fromId: m.owner._id, fromName: m.owner.name }));
    if (existing && moves.length === 0 && sameFields(existing, fields)) return { associate: existing, outcome: 'UNCHANGED', removed, kept, moved };
    for (const m of moves) await this.takeAlias(m);
    const associate = await this.write(id, existing, fields, [v.primary, ...v.aliases]);
    return { associate, outcome: existing ? 'UPDATED' : 'CREATED', removed, kept, moved };
  }

  /** Claim new keys → write (guarded by version) → release dropped keys → index → publish. */
  private async write(id: string, existing: AssociateDoc | null, fields: AssociateFields, wanted: KeyedAddress[]): Promise<AssociateDoc> {
    const { dir, policies } = this.deps;
    const now = this.deps.now();
    const made = await dir.claims.claimAll(id, wanted, (c) => this.ownerHolds(c), now);
    const written = existing
      ? await dir.associates.replaceIfVersion(id, existing.version, fields, now)
      : await dir.associates.insert({ _id: id, ...fields, version: 1, createdAt: now, updatedAt: now });
    if (written === 'conflict') {
      await dir.claims.release(id, made);
      throw new AppError({ code: IDENTITY_ERROR_CODES.conflict, message: `associate ${id} was changed by someone else meanwhile; try again`, retryable: true });
    }
    const associate: AssociateDoc = { _id: id, ...fields, version: (existing?.version ?? 0) + 1, createdAt: existing?.createdAt ?? now, updatedAt: now };
    const before = existing ? addressesOf(existing) : [];
    const keep = new Set(addressesOf(associate).map((a) => keyOf(a, policies)));
    await dir.claims.release(id, [...new Set(before.map((a) => keyOf(a, policies)))].filter((k) => !keep.has(k)));
    await dir.associates.reindexName(id, existing ? nameKey(existing.name) : '', nameKey(fields.name));
    await dir.unresolved.markResolved(made, id, now);
    await this.publish(existing ? 'associate.updated' : 'associate.created', associate, [...before, ...addressesOf(associate)]);
    return associate;
  }

  /** The claims of `wanted`'s keys and the associates holding them: 1-2 round trips. */
  private async heldAddresses(wanted: KeyedAddress[]): Promise<HeldAddresses> {
    const claims = await this.deps.dir.claims.findByKeys([...new Set(wanted.map((w) => w.key))]);
    const owners = await this.deps.dir.associates.findByIds([...new Set(claims.map((c) => c.ownerId))]);
    return { claims: new Map(claims.map((c) => [c._id, c])), owners: new Map(owners.map((a) => [a._id, a])) };
  }

  /** Moves an alias away from its holder (import --move-addresses): removed there, then free. */
  private async takeAlias(m: HeldElsewhere): Promise<void> {
    const updated = await this.deps.dir.associates.removeAlias(m.owner._id, m.held, this.deps.now());
    await this.deps.dir.claims.release(m.owner._id, [m.wanted.key]);
    if (updated) await this.publish('alias.removed', updated, [m.held, m.wanted.address]);
  }

  async addAlias(owner: string, alias: string): Promise<{ associate: AssociateDoc; outcome: 'ADDED' | 'UNCHANGED' }> {
    const a = keyed(alias, 'alias', this.deps.policies);
    const current = await this.resolver.associateOf(owner);
    if (addressWithKey(addressesOf(current), a.key, this.deps.policies)) return { associate: current, outcome: 'UNCHANGED' };
    const now = this.deps.now();
    const made = await this.deps.dir.claims.claimAll(current._id, [a], (c) => this.ownerHolds(c), now);
    const updated = await this.deps.dir.associates.addAlias(current._id, a.address, now);
    if (!updated) {
      await this.deps.dir.claims.release(current._id, made);
      throw notFound(IDENTITY_ERROR_CODES.associateNotFound, `associate ${current._id} was deleted meanwhile`);
    }
    await this.deps.dir.unresolved.markResolved(made, current._id, now);
    await this.publish('alias.added', updated, [a.address]);
    return { associate: updated, outcome: 'ADDED' };
  }

  /** `owner`, when given, must be the alias's holder: a guard against removing the wrong one. */
  async removeAlias(alias: string, owner?: string): Promise<AssociateDoc> {
    const a = keyed(alias, 'alias', this.deps.policies);
    const [claim] = await this.deps.dir.claims.findByKeys([a.key]);
    const holder = claim && (await this.deps.dir.associates.findById(claim.ownerId));
    const held = holder && addressWithKey(addressesOf(holder), a.key, this.deps.policies);
    if (!holder || !held) throw notFound(IDENTITY_ERROR_CODES.aliasNotFound, `alias: no associate holds ${a.address}`);
    if (owner?.trim() && (await this.resolver.associateOf(owner))._id !== holder._id) {
      throw new AppError({ code: IDENTITY_ERROR_CODES.aliasNotOwned, message: `alias: ${a.address} belongs to associate ${holder._id}, not to "${owner}"`, retryable: false, details: { field: 'alias' } });
    }
    if (held === holder.primaryAddress) {
      throw new AppError({ code: IDENTITY_ERROR_CODES.primaryNotRemovable, message: `alias: ${held} is the primary address of ${holder._id}; change the primary address first`, retryable: false, details: { field: 'alias' } });
    }
    const now = this.deps.now();
    const updated = await this.deps.dir.associates.removeAlias(holder._id, held, now);
    if (!updated) throw notFound(IDENTITY_ERROR_CODES.associateNotFound, `associate ${holder._id} was deleted meanwhile`);
    await this.deps.dir.claims.release(holder._id, [a.key]);
    await this.publish('alias.removed', updated, [held, a.address]);
    return updated;
  }

  async delete(owner: string): Promise<AssociateDoc> {
    const current = await this.resolver.associateOf(owner);
    const deleted = await this.deps.dir.associates.delete(current._id);
    if (!deleted) throw notFound(IDENTITY_ERROR_CODES.associateNotFound, `associate ${current._id} was deleted meanwhile`);
    const addresses = addressesOf(deleted);
    await this.deps.dir.claims.release(deleted._id, [...new Set(addresses.map((x) => keyOf(x, this.deps.policies)))]);
    await this.deps.dir.associates.reindexName(deleted._id, nameKey(deleted.name), '');
    await this.publish('associate.deleted', { ...deleted, version: deleted.version + 1 }, addresses);
    return deleted;
  }

  /** Does the owner of `claim` really list an address with its key? (orphan detection) */
  private async ownerHolds(claim: AddressClaimDoc): Promise<boolean> {
    const owner = await this.deps.dir.associates.findById(claim.ownerId);
    return !!owner && !!addressWithKey(addressesOf(owner), claim._id, this.deps.policies);
  }

  private async publish(change: IdentityChange['change'], a: AssociateDoc, addresses: string[]): Promise<void> {
    const keys = addresses.map((x) => keyOf(x, this.deps.policies));
    await this.deps.publishChanged({ change, entityId: a._id, version: a.version, addresses: [...new Set([...addresses, ...keys])] });
  }
}

function sameFields(a: AssociateFields, b: AssociateFields): boolean {
  return a.name === b.name && a.primaryAddress === b.primaryAddress && a.timeZone === b.timeZone && a.locale === b.locale &&
    a.group === b.group && a.aliases.length === b.aliases.length && a.aliases.every((x) => b.aliases.includes(x));
}
