import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { DuplicateKeyError, mapMongoError } from '@inviteflow/mongo';
import { AppError } from '@inviteflow/runtime';
import { AddressClaimDoc, AssociateDoc, COLLECTIONS, PersonAddressDoc, PersonDoc } from './directory.documents';

export type UpsertOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface AssociateInput {
  id?: string;
  name: string;
  primaryAddress: string;
  aliases: string[];
  timeZone: string;
  locale: string;
  group: string;
}

export interface PersonInput {
  id?: string;
  name: string;
  company: string;
  addresses: string[];
}

/**
 * The directory in MongoDB. Addresses arrive here already normalised (domain/address.normalise).
 * Round trips: resolve = at most 4 per batch whatever its size; upsertAssociate = 2 per address
 * claimed + 3.
 */
export class DirectoryRepository {
  private readonly associates: Collection<AssociateDoc>;
  private readonly claims: Collection<AddressClaimDoc>;
  private readonly persons: Collection<PersonDoc>;
  private readonly personAddresses: Collection<PersonAddressDoc>;

  constructor(db: Db) {
    this.associates = db.collection(COLLECTIONS.associates);
    this.claims = db.collection(COLLECTIONS.addressClaims);
    this.persons = db.collection(COLLECTIONS.persons);
    this.personAddresses = db.collection(COLLECTIONS.personAddresses);
  }

  async findClaims(addresses: string[]): Promise<AddressClaimDoc[]> {
    if (addresses.length === 0) return [];
    return this.claims.find({ _id: { $in: addresses } }).toArray();
  }

  async findAssociates(ids: string[]): Promise<AssociateDoc[]> {
    if (ids.length === 0) return [];
    return this.associates.find({ _id: { $in: ids } }).toArray();
  }

  async findAssociate(id: string): Promise<AssociateDoc | null> {
    return this.associates.findOne({ _id: id });
  }

  async findPersonsByAddress(addresses: string[]): Promise<Map<string, PersonDoc[]>> {
    const byAddress = new Map<string, PersonDoc[]>();
    if (addresses.length === 0) return byAddress;
    const rows = await this.personAddresses.find({ address: { $in: addresses } }).toArray();
    if (rows.length === 0) return byAddress;
    const persons = await this.persons.find({ _id: { $in: [...new Set(rows.map((r) => r.personId))] } }).toArray();
    const personById = new Map(persons.map((p) => [p._id, p]));
    for (const row of rows) {
      const person = personById.get(row.personId);
      if (person) byAddress.set(row.address, [...(byAddress.get(row.address) ?? []), person]);
    }
    return byAddress;
  }

  async upsertAssociate(input: AssociateInput): Promise<{ associate: AssociateDoc; outcome: UpsertOutcome }> {
    const id = input.id || (await this.ownerOf(input.primaryAddress)) || randomUUID();
    const held = [
      { address: input.primaryAddress, kind: 'primary' as const },
      ...input.aliases.filter((a) => a !== input.primaryAddress).map((address) => ({ address, kind: 'alias' as const })),
    ];
    await this.claimAll(id, held);
    const existing = await this.associates.findOne({ _id: id });
    const next: AssociateDoc = {
      _id: id, name: input.name, primaryAddress: input.primaryAddress, aliases: held.slice(1).map((h) => h.address),
      timeZone: input.timeZone, locale: input.locale, group: input.group, updatedAt: existing?.updatedAt ?? new Date(),
    };
    if (existing && sameAssociate(existing, next)) return { associate: existing, outcome: 'UNCHANGED' };
    next.updatedAt = new Date();
    await this.associates.replaceOne({ _id: id }, next, { upsert: true });
    // Addresses this associate no longer holds become free for someone else.
    await this.claims.deleteMany({ ownerId: id, _id: { $nin: held.map((h) => h.address) } });
    return { associate: next, outcome: existing ? 'UPDATED' : 'CREATED' };
  }

  async addAlias(ownerId: string, alias: string): Promise<AssociateDoc> {
    const owner = await this.associates.findOne({ _id: ownerId });
    if (!owner) throw new AppError({ code: 'NOT_FOUND', message: `no associate ${ownerId}`, retryable: false });
    await this.claimAll(ownerId, [{ address: alias, kind: 'alias' }]);
    if (owner.primaryAddress === alias || owner.aliases.includes(alias)) return owner;
    const updated = await this.associates.findOneAndUpdate(
      { _id: ownerId },
      { $addToSet: { aliases: alias }, $set: { updatedAt: new Date() } },
      { returnDocument: 'after' },
    );
    if (!updated) throw new AppError({ code: 'NOT_FOUND', message: `associate ${ownerId} was deleted meanwhile`, retryable: false });
    return updated;
  }

  async upsertPerson(input: PersonInput): Promise<{ person: PersonDoc; outcome: UpsertOutcome }> {
    const id = input.id || (await this.samePerson(input)) || randomUUID();
    const existing = await this.persons.findOne({ _id: id });
    const next: PersonDoc = { _id: id, name: input.name, company: input.company, addresses: [...new Set(input.addresses)], updatedAt: new Date() };
    if (existing && existing.name === next.name && existing.company === next.company && sameSet(existing.addresses, next.addresses)) {
      return { person: existing, outcome: 'UNCHANGED' };
    }
    await this.persons.replaceOne({ _id: id }, next, { upsert: true });
    for (const address of next.addresses) {
      await this.personAddresses.updateOne({ _id: `${address} ${id}` }, { $set: { address, personId: id } }, { upsert: true });
    }
    const dropped = (existing?.addresses ?? []).filter((a) => !next.addresses.includes(a));
    if (dropped.length > 0) await this.personAddresses.deleteMany({ _id: { $in: dropped.map((a) => `${a} ${id}`) } });
    return { person: next, outcome: existing ? 'UPDATED' : 'CREATED' };
  }

  /**
   * A person given without an id is the same person when one already has this name and
   * this first address; that makes a re-import idempotent without inventing ids in files.
   */
  private async samePerson(input: PersonInput): Promise<string | undefined> {
    const first = input.addresses[0];
    if (!first) return undefined;
    const candidates = (await this.findPersonsByAddress([first])).get(first) ?? [];
    return candidates.find((p) => p.name.trim().toLowerCase() === input.name.trim().toLowerCase())?._id;
  }

  private async ownerOf(address: string): Promise<string | undefined> {
    return (await this.claims.findOne({ _id: address }))?.ownerId;
  }

  /**
   * Claims each address for `ownerId`. The insert is the uniqueness check (the _id index);
   * on a collision the current owner decides: ours is fine, anyone else's is refused and the
   * claims made by this call are released, so a refused registration leaves nothing behind.
   */
  private async claimAll(ownerId: string, held: Array<{ address: string; kind: AddressClaimDoc['kind'] }>): Promise<void> {
    const made: string[] = [];
    for (const { address, kind } of held) {
      try {
        await this.claims.insertOne({ _id: address, ownerId, kind });
        made.push(address);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const owner = await this.ownerOf(address);
        if (owner === ownerId) {
          await this.claims.updateOne({ _id: address, ownerId }, { $set: { kind } });
          continue;
        }
        if (made.length > 0) await this.claims.deleteMany({ _id: { $in: made }, ownerId });
        throw new AppError({
          code: 'ADDRESS_TAKEN', retryable: false,
          message: `${address} already belongs to associate ${owner}; it cannot also be given to ${ownerId}`,
          details: { address, owner },
        });
      }
    }
  }
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function sameAssociate(a: AssociateDoc, b: AssociateDoc): boolean {
  return a.name === b.name && a.primaryAddress === b.primaryAddress && sameSet(a.aliases, b.aliases) &&
    a.timeZone === b.timeZone && a.locale === b.locale && a.group === b.group;
}

function isDuplicateKey(err: unknown): boolean {
  return mapMongoError(err) instanceof DuplicateKeyError;
}
