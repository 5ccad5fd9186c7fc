import type { Collection, Db } from 'mongodb';
import { insertIfAbsent, mapDriverErrors } from '@inviteflow/mongo';
import { AppError } from '@inviteflow/runtime';
import type { AddressClaimStore, ClaimCheck, WantedClaim } from '../domain/directory.ports';
import { IDENTITY_ERROR_CODES } from '../domain/identity.errors';
import { AddressClaimDoc, COLLECTIONS } from './directory.documents';

/**
 * A claim older than this whose owner does not list the address is an orphan of an
 * interrupted registration (claims are written before the associate document). Younger ones
 * may belong to a registration still in flight, so they are respected. Far above any RPC
 * deadline.
 */
export const ORPHAN_CLAIM_GRACE_MS = 60_000;

/**
 * address_claims: the uniqueness of associate addresses across the directory. The insert is
 * the uniqueness check (the `_id` index). Look-ups are `_id` equality; `$in` over `_id` is
 * one round trip for a batch and uses the `_id` index on real MongoDB and on the stand-in
 * (measured in services/identity/bench).
 */
export class AddressClaimRepository implements AddressClaimStore {
  private readonly claims: Collection<AddressClaimDoc>;

  constructor(db: Db) {
    this.claims = db.collection(COLLECTIONS.addressClaims);
    return mapDriverErrors(this, 'AddressClaimRepository');
  }

  async findByKeys(keys: string[]): Promise<AddressClaimDoc[]> {
    if (keys.length === 0) return [];
    if (keys.length === 1) {
      const one = await this.claims.findOne({ _id: keys[0]! });
      return one ? [one] : [];
    }
    return this.claims.find({ _id: { $in: keys } }).toArray();
  }

  async ownerOf(key: string): Promise<string | undefined> {
    return (await this.claims.findOne({ _id: key }))?.ownerId;
  }

  /**
   * Claims every wanted key for `ownerId`, or none: on a key someone else really holds, the
   * claims made by this call are released and ADDRESS_TAKEN names the address and field.
   * Returns the keys newly claimed. Round trips: 1 per new key; 2-3 per key already held.
   */
  async claimAll(ownerId: string, wanted: WantedClaim[], ownerHolds: ClaimCheck, now: Date): Promise<string[]> {
    const made: string[] = [];
    try {
      for (const w of wanted) if (await this.claimOne(ownerId, w, ownerHolds, now)) made.push(w.key);
      return made;
    } catch (err) {
      await this.release(ownerId, made);
      throw err;
    }
  }

  /** Frees keys `ownerId` holds; a key held by someone else is left alone. */
  async release(ownerId: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    // {_id, ownerId} is answered by the _id index on MongoDB; the stand-in scans (rare path).
    await this.claims.deleteMany({ _id: { $in: keys }, ownerId });
  }

  /** For re-keying and tests: every claim, in _id order, in pages. */
  async *all(batchSize = 1000): AsyncGenerator<AddressClaimDoc[]> {
    let batch: AddressClaimDoc[] = [];
    for await (const doc of this.claims.find({}, { batchSize })) {
      batch.push(doc);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async deleteIfOwnedBy(key: string, ownerId: string): Promise<void> {
    await this.claims.deleteOne({ _id: key, ownerId });
  }

  /** True when newly claimed, false when `ownerId` already held it. */
  private async claimOne(ownerId: string, w: WantedClaim, ownerHolds: ClaimCheck, now: Date): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await insertIfAbsent(this.claims, { _id: w.key, ownerId, address: w.address, claimedAt: now })) return true;
      const existing = await this.claims.findOne({ _id: w.key });
      if (!existing) continue; // released meanwhile: try again
      if (existing.ownerId === ownerId) {
        if (existing.address !== w.address) await this.claims.updateOne({ _id: w.key }, { $set: { address: w.address } });
        return false;
      }
      const orphan = now.getTime() - existing.claimedAt.getTime() > ORPHAN_CLAIM_GRACE_MS && !(await ownerHolds(existing));
      if (!orphan) throw taken(w, existing.ownerId);
      // Take over only if it is still the orphan we inspected.
      const res = await this.claims.updateOne({ _id: w.key, ownerId: existing.ownerId }, { $set: { ownerId, address: w.address, claimedAt: now } });
      if (res.modifiedCount === 1) return true;
    }
    throw new AppError({ code: IDENTITY_ERROR_CODES.conflict, message: `${w.address}: the claim kept changing under concurrent writes; try again`, retryable: true });
  }
}

function taken(w: WantedClaim, owner: string): AppError {
  return new AppError({
    code: IDENTITY_ERROR_CODES.addressTaken, retryable: false,
    message: `${w.field}: ${w.address} already belongs to associate ${owner}`,
    details: { address: w.address, owner, field: w.field },
  });
}
