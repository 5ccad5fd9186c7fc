import type { Db } from 'mongodb';
import { COLLECTIONS } from '../src/data/directory.documents';

const BATCH = 10_000;
const at = new Date('2026-01-01T00:00:00Z');

export const associatePrimary = (i: number): string => `a${i}@corp.example`;
export const associateAlias = (i: number): string => `a${i}.alias@corp.example`;
export const personAddress = (i: number): string => `p${i}@client.example`;

/**
 * Grows the directory to `total` addresses by writing the documents the service itself
 * writes (same shapes, same keys; the default policy leaves these addresses as they are):
 * half the addresses belong to associates (a primary and an alias each), half to persons
 * (one each). Direct bulk inserts, because what is measured is look-up, not filling.
 */
export async function growDirectory(db: Db, from: number, total: number): Promise<void> {
  const associates = db.collection(COLLECTIONS.associates);
  const claims = db.collection(COLLECTIONS.addressClaims);
  const persons = db.collection(COLLECTIONS.persons);
  const keys = db.collection(COLLECTIONS.personAddresses);
  for (let i = from / 4; i < total / 4; i += BATCH) {
    const ids = range(i, Math.min(i + BATCH, total / 4));
    await associates.insertMany(ids.map((n) => ({
      _id: `A${n}` as never, name: `Associate ${n}`, primaryAddress: associatePrimary(n), aliases: [associateAlias(n)],
      timeZone: 'Europe/Oslo', locale: 'nb-NO', group: 'Bench', version: 1, createdAt: at, updatedAt: at,
    })), { ordered: false });
    await claims.insertMany(ids.flatMap((n) => [associatePrimary(n), associateAlias(n)].map((a) => ({ _id: a as never, ownerId: `A${n}`, address: a, claimedAt: at }))), { ordered: false });
  }
  for (let i = from / 2; i < total / 2; i += BATCH) {
    const ids = range(i, Math.min(i + BATCH, total / 2));
    await persons.insertMany(ids.map((n) => ({
      _id: `P${n}` as never, name: `Person ${n}`, company: 'Client', addresses: [personAddress(n)], version: 1, createdAt: at, updatedAt: at,
    })), { ordered: false });
    await keys.insertMany(ids.map((n) => ({ _id: personAddress(n) as never, personIds: [`P${n}`] })), { ordered: false });
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}
