import { rekeyIfPolicyChanged } from '../src/data/directory.rekey';
import { DEFAULT_POLICIES, mergePolicies } from '../src/domain/address.policy';
import { IdentityService } from '../src/domain/identity.service';
import { identityFixture, IdentityFixture, john, TEST_POLICIES } from './identity.fixture';

const log = { info: jest.fn(), warn: jest.fn() };

describe('re-keying the directory when address policies change', () => {
  let f: IdentityFixture;

  beforeEach(async () => {
    // Arrange: a directory written while contoso.onmicrosoft.com was not yet an alias
    f = await identityFixture(DEFAULT_POLICIES);
    await rekeyIfPolicyChanged(f.mongo.db, f.dir, DEFAULT_POLICIES, log, () => f.clock.now);
  });

  afterEach(async () => {
    await f.close();
  });

  test('When the policy is unchanged, then nothing is rebuilt', async () => {
    expect(await rekeyIfPolicyChanged(f.mongo.db, f.dir, DEFAULT_POLICIES, log, () => f.clock.now)).toBe(false);
  });

  test.each([
    ['the previous policy is known (only changed keys are touched)', false],
    ['the previous policy is unknown (every key is rebuilt)', true],
  ])('When a domain alias is added and %s, then addresses written before resolve under the new keys and old keys are gone', async (_how, forget) => {
    // Arrange
    await f.service.associates.upsert({ ...john, aliases: ['john.doe@contoso.onmicrosoft.com'] });
    if (forget) await f.mongo.db.collection('directory_meta').updateOne({ _id: 'address-policy' as never }, { $unset: { policiesJson: '' } });
    await f.service.persons.upsert({ name: 'Tenant desk', company: 'Contoso', addresses: ['desk@contoso.onmicrosoft.com'] });
    await f.service.unresolved.note([{ address: 'ann@contoso.onmicrosoft.com', displayName: '', mailId: 'm1' }]);
    // Act
    const rebuilt = await rekeyIfPolicyChanged(f.mongo.db, f.dir, TEST_POLICIES, log, () => f.clock.now);
    // Assert
    expect(rebuilt).toBe(true);
    const after = new IdentityService({ dir: f.dir, policies: TEST_POLICIES, now: () => f.clock.now, publishChanged: async () => undefined });
    const [alias, desk] = await after.resolve(['john.doe@contoso.com', 'desk@contoso.com']);
    expect(alias).toMatchObject({ kind: 'associate', matchedBy: 'policy', policies: ['domain-alias'] });
    expect(desk).toMatchObject({ kind: 'person' });
    expect((await f.dir.claims.findByKeys(['john.doe@contoso.onmicrosoft.com']))).toEqual([]);
    expect((await after.unresolved.list(10, false)).entries.map((e) => e.doc._id)).toEqual(['ann@contoso.com']);
  });

  test('When two associates become one mailbox under the new policy, then the first keeps it and the conflict is logged', async () => {
    // Arrange
    const first = await f.service.associates.upsert({ ...john, primaryAddress: 'john@contoso.com' });
    await f.service.associates.upsert({ ...john, name: 'Tenant John', primaryAddress: 'john@contoso.onmicrosoft.com' });
    // Act
    await rekeyIfPolicyChanged(f.mongo.db, f.dir, mergePolicies(TEST_POLICIES), log, () => f.clock.now);
    // Assert
    const after = new IdentityService({ dir: f.dir, policies: TEST_POLICIES, now: () => f.clock.now, publishChanged: async () => undefined });
    const [r] = await after.resolve(['john@contoso.onmicrosoft.com']);
    expect(r!.kind === 'associate' && r!.associate._id).toBe(first.associate._id);
    expect(log.warn).toHaveBeenCalledWith(expect.objectContaining({ code: 'POLICY_REKEY_CONFLICT' }), expect.any(String));
  });
});
