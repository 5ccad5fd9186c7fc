import { identityFixture, IdentityFixture, john } from './identity.fixture';

describe('unresolved addresses', () => {
  let f: IdentityFixture;

  beforeEach(async () => {
    f = await identityFixture();
  });

  afterEach(async () => {
    await f.close();
  });

  const seen = (mailId: string, at: string, displayName = 'John Doe', address = 'john.doe@contoso.com') => ({ address, displayName, mailId, seenAt: new Date(at) });

  test('When mail arrives for an unknown address, then it is listed once per mail with first and last seen, whatever the spelling', async () => {
    // Act
    const recorded = await f.service.unresolved.note([seen('m1', '2026-03-01T09:00:00Z'), seen('m2', '2026-03-02T09:00:00Z', 'Doe, John', 'John.Doe+crm@contoso.onmicrosoft.com')]);
    const redelivered = await f.service.unresolved.note([seen('m1', '2026-03-01T09:00:00Z')]);
    // Assert
    expect([recorded, redelivered]).toEqual([2, 0]);
    const { entries, totalOpen } = await f.service.unresolved.list(100, false);
    expect(totalOpen).toBe(1);
    expect(entries[0]!.doc).toMatchObject({
      _id: 'john.doe@contoso.com', count: 2, firstSeen: new Date('2026-03-01T09:00:00Z'), lastSeen: new Date('2026-03-02T09:00:00Z'),
      displayNames: ['John Doe', 'Doe, John'],
    });
  });

  test('When someone in the directory is a likely match, then they are suggested by display name and by local-part variant', async () => {
    // Arrange
    const byName = await f.service.associates.upsert({ ...john, primaryAddress: 'jd@contoso.com' });
    const byVariant = await f.service.associates.upsert({ ...john, name: 'Jane Doe', primaryAddress: 'jdoe@contoso.com' });
    await f.service.unresolved.note([seen('m1', '2026-03-01T09:00:00Z')]);
    // Act
    const { entries } = await f.service.unresolved.list(10, false);
    // Assert
    expect(entries[0]!.suggestions.map((s) => [s.associate._id, s.reason])).toEqual([
      [byName.associate._id, 'display name "doe john"'],
      [byVariant.associate._id, 'local-part variant'],
    ]);
  });

  test('When the address becomes an alias, then the entry is marked resolved and later mail is not counted', async () => {
    // Arrange
    const a = await f.service.associates.upsert(john);
    await f.service.unresolved.note([seen('m1', '2026-03-01T09:00:00Z')]);
    // Act
    await f.service.associates.addAlias('john@contoso.com', 'john.doe@contoso.com');
    const after = await f.service.unresolved.note([seen('m2', '2026-03-03T09:00:00Z')]);
    // Assert
    expect(after).toBe(0);
    expect((await f.service.unresolved.list(10, false)).entries).toEqual([]);
    const all = await f.service.unresolved.list(10, true);
    expect(all.entries[0]!.doc).toMatchObject({ count: 1, resolvedTo: a.associate._id, resolvedAt: f.clock.now });
  });

  test('When the alias is removed again and mail arrives, then the entry reopens', async () => {
    await f.service.associates.upsert({ ...john, aliases: [] });
    await f.service.unresolved.note([seen('m1', '2026-03-01T09:00:00Z')]);
    await f.service.associates.addAlias('john@contoso.com', 'john.doe@contoso.com');
    await f.service.associates.removeAlias('john.doe@contoso.com');
    await f.service.unresolved.note([seen('m2', '2026-03-04T09:00:00Z')]);
    const { entries, totalOpen } = await f.service.unresolved.list(10, false);
    expect(totalOpen).toBe(1);
    expect(entries[0]!.doc).toMatchObject({ count: 2, resolvedAt: null });
  });
});
