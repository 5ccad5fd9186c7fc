import { randomUUID } from 'node:crypto';
import { AppError } from '@inviteflow/runtime';
import type { PersonDoc } from './directory.model';
import type { PersonFields } from './directory.ports';
import type { UpsertOutcome } from './associate.service';
import { PersonInput, validatePerson, ValidPerson } from './directory.input';
import { keyOf } from './directory.keys';
import type { IdentityChange, IdentityDeps } from './identity.deps';
import { IDENTITY_ERROR_CODES, notFound } from './identity.errors';

/**
 * Persons (external contacts). Addresses are not unique among persons. Write order: index
 * new keys → write the person → unindex dropped keys, so an interrupted call leaves at most
 * index entries the person does not list (ignored by resolution) and a re-run completes it.
 * Round trips: upsert = 2-3 reads + 1 per new key + 1 write + 1 per dropped key.
 */
export class PersonService {
  constructor(private readonly deps: IdentityDeps) {}

  async upsert(input: PersonInput): Promise<{ person: PersonDoc; outcome: UpsertOutcome }> {
    const v = validatePerson(input, this.deps.policies);
    const { persons } = this.deps.dir;
    const id = v.id || (await this.samePerson(v)) || randomUUID();
    const existing = await persons.findById(id);
    const fields = toFields(v);
    if (existing && sameFields(existing, fields)) return { person: existing, outcome: 'UNCHANGED' };
    const now = this.deps.now();
    const before = new Set((existing?.addresses ?? []).map((a) => keyOf(a, this.deps.policies)));
    const after = new Set(v.addresses.map((a) => a.key));
    await persons.index(id, [...after].filter((k) => !before.has(k)));
    const written = existing
      ? await persons.replaceIfVersion(id, existing.version, fields, now)
      : await persons.insert({ _id: id, ...fields, version: 1, createdAt: now, updatedAt: now });
    if (written === 'conflict') {
      throw new AppError({ code: IDENTITY_ERROR_CODES.conflict, message: `person ${id} was changed by someone else meanwhile; try again`, retryable: true });
    }
    await persons.unindex(id, [...before].filter((k) => !after.has(k)));
    const person: PersonDoc = { _id: id, ...fields, version: (existing?.version ?? 0) + 1, createdAt: existing?.createdAt ?? now, updatedAt: now };
    await this.publish(existing ? 'person.updated' : 'person.created', person, [...(existing?.addresses ?? []), ...person.addresses]);
    return { person, outcome: existing ? 'UPDATED' : 'CREATED' };
  }

  async get(id: string): Promise<PersonDoc> {
    const person = id.trim() ? await this.deps.dir.persons.findById(id.trim()) : null;
    if (!person) throw notFound(IDENTITY_ERROR_CODES.personNotFound, `id: no person has the id "${id}"`);
    return person;
  }

  async delete(id: string): Promise<PersonDoc> {
    const deleted = id.trim() ? await this.deps.dir.persons.delete(id.trim()) : null;
    if (!deleted) throw notFound(IDENTITY_ERROR_CODES.personNotFound, `id: no person has the id "${id}"`);
    await this.deps.dir.persons.unindex(deleted._id, [...new Set(deleted.addresses.map((a) => keyOf(a, this.deps.policies)))]);
    await this.publish('person.deleted', { ...deleted, version: deleted.version + 1 }, deleted.addresses);
    return deleted;
  }

  /**
   * A person given without an id is the same person when one already has this name and an
   * address with the key of this first address; that makes a re-import idempotent without
   * inventing ids in files.
   */
  private async samePerson(v: ValidPerson): Promise<string | undefined> {
    const first = v.addresses[0];
    if (!first) return undefined;
    const ids = (await this.deps.dir.persons.idsByKeys([first.key])).get(first.key) ?? [];
    const candidates = await this.deps.dir.persons.findByIds(ids);
    return candidates.find((p) => p.name.toLowerCase() === v.name.toLowerCase())?._id;
  }

  private async publish(change: IdentityChange['change'], p: PersonDoc, addresses: string[]): Promise<void> {
    const keys = addresses.map((x) => keyOf(x, this.deps.policies));
    await this.deps.publishChanged({ change, entityId: p._id, version: p.version, addresses: [...new Set([...addresses, ...keys])] });
  }
}

function toFields(v: ValidPerson): PersonFields {
  return { name: v.name, company: v.company, addresses: v.addresses.map((a) => a.address) };
}

function sameFields(a: PersonFields, b: PersonFields): boolean {
  return a.name === b.name && a.company === b.company && a.addresses.length === b.addresses.length && a.addresses.every((x, i) => b.addresses[i] === x);
}
