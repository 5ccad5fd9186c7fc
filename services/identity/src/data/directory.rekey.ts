import type { Db } from 'mongodb';
import { withMongoErrors } from '@inviteflow/mongo';
import { isAppError } from '@inviteflow/runtime';
import { policyFingerprint, PolicySet } from '../domain/address.policy';
import { keyOf } from '../domain/directory.keys';
import { IDENTITY_ERROR_CODES } from '../domain/identity.errors';
import { addressWithKey } from '../domain/resolution';
import { COLLECTIONS, DirectoryMetaDoc } from './directory.documents';
import type { DirectoryRepositories as Directory } from './directory.factory';

export interface RekeyLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

const META_ID = 'address-policy';

/**
 * Directory keys depend on the address policies, so when the policies change (or on the
 * first start of a directory) the keys are rebuilt from the associates and persons
 * themselves, which are the source of truth. When the previous policies are known (stored
 * with their fingerprint) only the addresses whose key changes are touched: one read pass
 * over associates and persons, writes for the changed ones only. Otherwise every key is
 * rebuilt and stale ones dropped. Idempotent: the new fingerprint is stored last, so a crash
 * half-way re-runs it at the next start. Two associates whose addresses become one mailbox
 * cannot both hold it: the one that claims it first keeps it, and each loser is logged as
 * POLICY_REKEY_CONFLICT for an operator to settle.
 */
export async function rekeyIfPolicyChanged(db: Db, dir: Directory, policies: PolicySet, log: RekeyLogger, now: () => Date): Promise<boolean> {
  const meta = db.collection<DirectoryMetaDoc>(COLLECTIONS.meta);
  const fingerprint = policyFingerprint(policies);
  const stored = await withMongoErrors(() => meta.findOne({ _id: META_ID }), 'directory_meta.findOne');
  if (stored?.policyFingerprint === fingerprint) return false;
  const before = stored?.policiesJson ? (JSON.parse(stored.policiesJson) as PolicySet) : undefined;
  log.info({ from: stored?.policyFingerprint ?? null, to: fingerprint, incremental: !!before }, 'address policies changed: rebuilding directory keys');
  const report = before ? await rekeyChanged(dir, before, policies, log, now) : await rebuildAll(dir, policies, log, now);
  await rekeyUnresolved(dir, policies);
  const record = { policyFingerprint: fingerprint, policiesJson: JSON.stringify(policies), rekeyedAt: now() };
  await withMongoErrors(() => meta.replaceOne({ _id: META_ID }, record, { upsert: true }), 'directory_meta.replaceOne');
  log.info({ ...report, fingerprint }, 'directory keys rebuilt');
  return true;
}

async function rebuildAll(dir: Directory, policies: PolicySet, log: RekeyLogger, now: () => Date): Promise<{ conflicts: number; droppedClaims: number }> {
  const conflicts = await claimAssociateKeys(dir, policies, log, now);
  const droppedClaims = await dropStaleClaims(dir, policies);
  await rebuildPersonKeys(dir, policies);
  return { conflicts, droppedClaims };
}

/** Only addresses whose key differs between the two policies: claim or index the new key, free the old. */
async function rekeyChanged(dir: Directory, before: PolicySet, after: PolicySet, log: RekeyLogger, now: () => Date): Promise<{ conflicts: number; changedAddresses: number }> {
  let conflicts = 0;
  let changedAddresses = 0;
  for await (const a of dir.associates.all()) {
    const addresses = [a.primaryAddress, ...a.aliases];
    const changed = addresses.filter((x) => keyOf(x, before) !== keyOf(x, after));
    if (changed.length === 0) continue;
    changedAddresses += changed.length;
    conflicts += await claimKeys(dir, a._id, changed.map((x) => ({ address: x, field: fieldOf(addresses, x) })), after, log, now);
    const kept = new Set(addresses.map((x) => keyOf(x, after)));
    for (const x of changed) if (!kept.has(keyOf(x, before))) await dir.claims.deleteIfOwnedBy(keyOf(x, before), a._id);
  }
  for await (const p of dir.persons.all()) {
    const changed = p.addresses.filter((x) => keyOf(x, before) !== keyOf(x, after));
    if (changed.length === 0) continue;
    changedAddresses += changed.length;
    const kept = new Set(p.addresses.map((x) => keyOf(x, after)));
    await dir.persons.index(p._id, [...new Set(changed.map((x) => keyOf(x, after)))]);
    await dir.persons.unindex(p._id, [...new Set(changed.map((x) => keyOf(x, before)))].filter((k) => !kept.has(k)));
  }
  return { conflicts, changedAddresses };
}

function fieldOf(addresses: string[], address: string): string {
  const i = addresses.indexOf(address);
  return i === 0 ? 'primary_address' : `aliases[${i - 1}]`;
}

/** Claims each address's key for `ownerId`; a key someone else holds is logged. Returns the conflicts. */
async function claimKeys(dir: Directory, ownerId: string, wanted: Array<{ address: string; field: string }>, policies: PolicySet, log: RekeyLogger, now: () => Date): Promise<number> {
  let conflicts = 0;
  const ownerHolds = async (claim: { _id: string; ownerId: string }): Promise<boolean> => {
    const owner = await dir.associates.findById(claim.ownerId);
    return !!owner && !!addressWithKey([owner.primaryAddress, ...owner.aliases], claim._id, policies);
  };
  for (const w of wanted) {
    const key = keyOf(w.address, policies);
    try {
      await dir.claims.claimAll(ownerId, [{ key, address: w.address, field: w.field }], ownerHolds, now());
    } catch (err) {
      if (!isAppError(err) || err.code !== IDENTITY_ERROR_CODES.addressTaken) throw err;
      conflicts++;
      log.warn({ code: IDENTITY_ERROR_CODES.rekeyConflict, associateId: ownerId, address: w.address, key, details: err.details }, 'address no longer resolves to this associate under the new policy');
    }
  }
  return conflicts;
}

async function claimAssociateKeys(dir: Directory, policies: PolicySet, log: RekeyLogger, now: () => Date): Promise<number> {
  let conflicts = 0;
  for await (const a of dir.associates.all()) {
    const addresses = [a.primaryAddress, ...a.aliases];
    conflicts += await claimKeys(dir, a._id, addresses.map((x) => ({ address: x, field: fieldOf(addresses, x) })), policies, log, now);
  }
  return conflicts;
}

async function dropStaleClaims(dir: Directory, policies: PolicySet): Promise<number> {
  const stale: Array<{ key: string; ownerId: string }> = [];
  for await (const batch of dir.claims.all()) {
    const owners = new Map((await dir.associates.findByIds([...new Set(batch.map((c) => c.ownerId))])).map((a) => [a._id, a]));
    for (const c of batch) {
      const owner = owners.get(c.ownerId);
      if (!owner || !addressWithKey([owner.primaryAddress, ...owner.aliases], c._id, policies)) stale.push({ key: c._id, ownerId: c.ownerId });
    }
  }
  for (const s of stale) await dir.claims.deleteIfOwnedBy(s.key, s.ownerId);
  return stale.length;
}

async function rebuildPersonKeys(dir: Directory, policies: PolicySet): Promise<void> {
  for await (const p of dir.persons.all()) {
    await dir.persons.index(p._id, [...new Set(p.addresses.map((a) => keyOf(a, policies)))]);
  }
  const stale: Array<{ key: string; personId: string }> = [];
  for await (const doc of dir.persons.allKeys()) {
    const persons = new Map((await dir.persons.findByIds(doc.personIds)).map((p) => [p._id, p]));
    for (const id of doc.personIds) {
      const p = persons.get(id);
      if (!p || !addressWithKey(p.addresses, doc._id, policies)) stale.push({ key: doc._id, personId: id });
    }
  }
  for (const s of stale) await dir.persons.unindex(s.personId, [s.key]);
}

async function rekeyUnresolved(dir: Directory, policies: PolicySet): Promise<void> {
  const moves = [];
  for await (const doc of dir.unresolved.all()) {
    const key = keyOf(doc.address, policies);
    if (key !== doc._id) moves.push({ doc, key });
  }
  for (const m of moves) await dir.unresolved.moveTo(m.doc, m.key);
}
