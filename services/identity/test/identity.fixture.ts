import { connectMongo, ensureIndexes, MongoConnection } from '@inviteflow/mongo';
import { testMongoUrl, uniqueSuffix } from '@inviteflow/testing';
import { DirectoryRepositories, openDirectory } from '../src/data/directory.factory';
import { DIRECTORY_INDEXES } from '../src/data/directory.indexes';
import { DEFAULT_POLICIES, mergePolicies, PolicySet } from '../src/domain/address.policy';
import type { IdentityChange } from '../src/domain/identity.deps';
import { IdentityService } from '../src/domain/identity.service';

/** Our test organisation: contoso.com, also reachable as contoso.onmicrosoft.com. */
export const TEST_POLICIES: PolicySet = mergePolicies(DEFAULT_POLICIES, { 'contoso.onmicrosoft.com': { aliasOf: 'contoso.com' } });

export interface IdentityFixture {
  mongo: MongoConnection;
  dir: DirectoryRepositories;
  service: IdentityService;
  changes: IdentityChange[];
  /** The clock the service reads; tests move it. */
  clock: { now: Date };
  close(): Promise<void>;
}

/** The identity use cases on a fresh database of the run's MongoDB, events captured in memory. */
export async function identityFixture(policies: PolicySet = TEST_POLICIES): Promise<IdentityFixture> {
  const mongo = await connectMongo({ url: testMongoUrl(), dbName: `identity_${uniqueSuffix()}`, appName: 'identity-test' });
  await ensureIndexes(mongo.db, DIRECTORY_INDEXES);
  const dir = openDirectory(mongo.db);
  const changes: IdentityChange[] = [];
  const clock = { now: new Date('2026-03-01T10:00:00Z') };
  const service = new IdentityService({ dir, policies, now: () => clock.now, publishChanged: async (c) => void changes.push(c) });
  return {
    mongo, dir, service, changes, clock,
    close: async () => {
      await mongo.db.dropDatabase();
      await mongo.close();
    },
  };
}

export const john = { name: 'John Doe', primaryAddress: 'john@contoso.com', aliases: [] as string[], timeZone: 'Europe/Oslo', locale: 'nb-NO', group: 'Sales' };
