import { connectMongo, ensureIndexes, MongoConnection } from '@inviteflow/mongo';
import { testMongoUrl, uniqueSuffix } from '@inviteflow/testing';
import { DirectoryRepository } from '../src/data/directory.repository';
import { DIRECTORY_INDEXES } from '../src/data/directory.indexes';
import { IdentityService } from '../src/domain/identity.service';

describe('identity directory on a MongoDB-wire server', () => {
  let mongo: MongoConnection;
  let service: IdentityService;
  let changes: Array<{ addresses: string[]; change: string }>;

  beforeEach(async () => {
    mongo = await connectMongo({ url: testMongoUrl(), dbName: `identity_${uniqueSuffix()}`, appName: 'identity-test' });
    await ensureIndexes(mongo.db, DIRECTORY_INDEXES);
    changes = [];
    service = new IdentityService(new DirectoryRepository(mongo.db), async (c) => void changes.push(c));
  });

  afterEach(async () => {
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  test('When the service starts, then the declared indexes exist', async () => {
    const names = (await mongo.db.collection('person_addresses').indexes()).map((i) => i.name);
    expect(names).toContain('address');
  });

  test('When an associate is registered, then primary and alias resolve to them and say how they matched', async () => {
    const { associate, outcome } = await service.upsertAssociate({
      name: 'John Doe', primaryAddress: 'John@Contoso.com', aliases: ['john.doe@contoso.com'], timeZone: 'Europe/Oslo', locale: 'nb', group: 'Sales',
    });
    expect(outcome).toBe('CREATED');
    const [primary, alias, unknown] = await service.resolve(['mailto:JOHN@contoso.com', 'john.doe@contoso.com', 'nobody@contoso.com']);
    expect(primary).toMatchObject({ kind: 'associate', matchedBy: 'primary', normalized: 'john@contoso.com' });
    expect(alias).toMatchObject({ kind: 'associate', matchedBy: 'alias' });
    expect(unknown).toMatchObject({ kind: 'unknown' });
    expect(primary!.kind === 'associate' && primary!.associate._id).toBe(associate._id);
    expect(changes.map((c) => c.change)).toEqual(['associate.created']);
  });

  test('When the same associate is imported twice, then the second time is UNCHANGED and publishes nothing', async () => {
    const input = { name: 'Ann', primaryAddress: 'ann@contoso.com', aliases: [], timeZone: 'UTC', locale: 'en', group: '' };
    await service.upsertAssociate(input);
    const again = await service.upsertAssociate(input);
    expect(again.outcome).toBe('UNCHANGED');
    expect(changes).toHaveLength(1);
  });

  test("When someone registers an address another associate holds, then it is refused as ADDRESS_TAKEN and nothing is overwritten", async () => {
    const john = await service.upsertAssociate({ name: 'John', primaryAddress: 'john@contoso.com', aliases: [], timeZone: 'UTC', locale: '', group: '' });
    const attempt = service.upsertAssociate({ name: 'Impostor', primaryAddress: 'imp@contoso.com', aliases: ['john@contoso.com'], timeZone: 'UTC', locale: '', group: '' });
    await expect(attempt).rejects.toMatchObject({ code: 'ADDRESS_TAKEN' });
    const [r, imp] = await service.resolve(['john@contoso.com', 'imp@contoso.com']);
    expect(r!.kind === 'associate' && r!.associate._id).toBe(john.associate._id);
    // The refused registration left no claim behind.
    expect(imp).toMatchObject({ kind: 'unknown' });
  });

  test('When two associates race for one alias, then exactly one gets it', async () => {
    const a = await service.upsertAssociate({ name: 'A', primaryAddress: 'a@contoso.com', aliases: [], timeZone: 'UTC', locale: '', group: '' });
    const b = await service.upsertAssociate({ name: 'B', primaryAddress: 'b@contoso.com', aliases: [], timeZone: 'UTC', locale: '', group: '' });
    const results = await Promise.allSettled([
      service.addAlias(a.associate._id, 'team@contoso.com'),
      service.addAlias(b.associate._id, 'team@contoso.com'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['ADDRESS_TAKEN']);
  });

  test('When several persons share an address, then it resolves as ambiguous with every candidate', async () => {
    await service.upsertPerson({ name: 'Front desk', company: 'Bakery', addresses: ['info@bakery.example'] });
    await service.upsertPerson({ name: 'Owner', company: 'Bakery', addresses: ['info@bakery.example', 'owner@bakery.example'] });
    const [shared, own] = await service.resolve(['info@bakery.example', 'owner@bakery.example']);
    expect(shared).toMatchObject({ kind: 'ambiguous' });
    expect(shared!.kind === 'ambiguous' && shared!.candidates.map((p) => p.name).sort()).toEqual(['Front desk', 'Owner']);
    expect(own).toMatchObject({ kind: 'person' });
  });

  test('When an invalid address is registered, then it is refused with INVALID_ADDRESS', async () => {
    await expect(service.upsertAssociate({ name: 'X', primaryAddress: 'not-an-address', aliases: [], timeZone: 'UTC', locale: '', group: '' }))
      .rejects.toMatchObject({ code: 'INVALID_ADDRESS' });
  });
});
