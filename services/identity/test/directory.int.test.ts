import { ORPHAN_CLAIM_GRACE_MS } from '../src/data/address-claim.repository';
import { identityFixture, IdentityFixture, john } from './identity.fixture';

describe('the identity directory on a MongoDB-wire server', () => {
  let f: IdentityFixture;

  beforeEach(async () => {
    f = await identityFixture();
  });

  afterEach(async () => {
    await f.close();
  });

  test('When an associate is registered, then primary, alias and policy spellings resolve to them and say how they matched', async () => {
    // Arrange
    const { associate, outcome } = await f.service.associates.upsert({ ...john, aliases: ['john.doe@contoso.com'] });
    // Act
    const [primary, alias, plus, tenant, unknown] = await f.service.resolve([
      'mailto:JOHN@contoso.com', 'john.doe@contoso.com', 'john+crm@contoso.com', 'John.Doe@contoso.onmicrosoft.com', 'nobody@contoso.com',
    ]);
    // Assert
    expect(outcome).toBe('CREATED');
    expect(primary).toMatchObject({ kind: 'associate', matchedBy: 'primary', normalized: 'john@contoso.com' });
    expect(alias).toMatchObject({ kind: 'associate', matchedBy: 'alias' });
    expect(plus).toMatchObject({ kind: 'associate', matchedBy: 'policy', matchedAddress: 'john@contoso.com', policies: ['subaddress'] });
    expect(tenant).toMatchObject({ kind: 'associate', matchedBy: 'policy', matchedAddress: 'john.doe@contoso.com', policies: ['domain-alias'] });
    expect(unknown).toMatchObject({ kind: 'unknown', canonical: 'nobody@contoso.com' });
    expect(primary!.kind === 'associate' && primary!.associate).toMatchObject({ _id: associate._id, timeZone: 'Europe/Oslo', locale: 'nb-NO', group: 'Sales' });
    expect(f.changes.map((c) => c.change)).toEqual(['associate.created']);
  });

  test('When the same associate is upserted twice, then the second time is UNCHANGED and publishes nothing', async () => {
    await f.service.associates.upsert(john);
    const again = await f.service.associates.upsert(john);
    expect(again.outcome).toBe('UNCHANGED');
    expect(f.changes).toHaveLength(1);
  });

  test('When someone registers an address another associate holds, in any spelling, then it is refused as ADDRESS_TAKEN and nothing is overwritten', async () => {
    // Arrange
    const held = await f.service.associates.upsert(john);
    // Act
    const attempt = f.service.associates.upsert({ ...john, name: 'Impostor', primaryAddress: 'imp@contoso.com', aliases: ['ok@contoso.com', 'John+x@contoso.onmicrosoft.com'] });
    // Assert
    await expect(attempt).rejects.toMatchObject({ code: 'ADDRESS_TAKEN', details: { field: 'aliases[1]', owner: held.associate._id } });
    const [r, imp, ok] = await f.service.resolve(['john@contoso.com', 'imp@contoso.com', 'ok@contoso.com']);
    expect(r!.kind === 'associate' && r!.associate._id).toBe(held.associate._id);
    // The refused registration left no claim behind.
    expect([imp!.kind, ok!.kind]).toEqual(['unknown', 'unknown']);
  });

  test('When two associates race for one alias, then exactly one gets it', async () => {
    const a = await f.service.associates.upsert({ ...john, name: 'A', primaryAddress: 'a@contoso.com' });
    const b = await f.service.associates.upsert({ ...john, name: 'B', primaryAddress: 'b@contoso.com' });
    const results = await Promise.allSettled([
      f.service.associates.addAlias(a.associate._id, 'team@contoso.com'),
      f.service.associates.addAlias(b.associate._id, 'team@contoso.com'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['ADDRESS_TAKEN']);
  });

  test('When an alias is moved from one associate to another, then it resolves to the new one and both changes are published', async () => {
    // Arrange
    const a = await f.service.associates.upsert({ ...john, aliases: ['sales@contoso.com'] });
    const b = await f.service.associates.upsert({ ...john, name: 'Ann', primaryAddress: 'ann@contoso.com' });
    // Act
    await f.service.associates.removeAlias('sales@contoso.com', 'john@contoso.com');
    const added = await f.service.associates.addAlias('ann@contoso.com', 'Sales@contoso.com');
    // Assert
    expect(added.outcome).toBe('ADDED');
    const [r] = await f.service.resolve(['sales@contoso.com']);
    expect(r!.kind === 'associate' && r!.associate._id).toBe(b.associate._id);
    expect(f.changes.slice(2).map((c) => [c.change, c.entityId])).toEqual([['alias.removed', a.associate._id], ['alias.added', b.associate._id]]);
    expect(f.changes[2]!.addresses).toContain('sales@contoso.com');
  });

  test('When an alias is removed wrongly, then the refusal is precise', async () => {
    await f.service.associates.upsert({ ...john, aliases: ['sales@contoso.com'] });
    await f.service.associates.upsert({ ...john, name: 'Ann', primaryAddress: 'ann@contoso.com' });
    await expect(f.service.associates.removeAlias('nobody@contoso.com')).rejects.toMatchObject({ code: 'ALIAS_NOT_FOUND' });
    await expect(f.service.associates.removeAlias('john@contoso.com')).rejects.toMatchObject({ code: 'PRIMARY_ADDRESS_NOT_REMOVABLE' });
    await expect(f.service.associates.removeAlias('sales@contoso.com', 'ann@contoso.com')).rejects.toMatchObject({ code: 'ALIAS_NOT_OWNED' });
    await expect(f.service.associates.addAlias('ghost@contoso.com', 'x@contoso.com')).rejects.toMatchObject({ code: 'OWNER_NOT_FOUND' });
    await expect(f.service.associates.addAlias('john@contoso.com', 'x@')).rejects.toMatchObject({ code: 'INVALID_ADDRESS', details: { field: 'alias' } });
  });

  test('When an associate changes primary address and drops an alias, then the old addresses become free', async () => {
    // Arrange
    const first = await f.service.associates.upsert({ ...john, aliases: ['old@contoso.com'] });
    // Act
    const second = await f.service.associates.upsert({ ...john, id: first.associate._id, primaryAddress: 'john.doe@contoso.com', aliases: [] });
    const other = await f.service.associates.upsert({ ...john, name: 'Other', primaryAddress: 'old@contoso.com' });
    // Assert
    expect(second.outcome).toBe('UPDATED');
    expect(other.outcome).toBe('CREATED');
    const [oldPrimary, newPrimary] = await f.service.resolve(['john@contoso.com', 'john.doe@contoso.com']);
    expect(oldPrimary!.kind).toBe('unknown');
    expect(newPrimary).toMatchObject({ kind: 'associate', matchedBy: 'primary' });
    expect(f.changes[1]!.addresses).toEqual(expect.arrayContaining(['john@contoso.com', 'old@contoso.com', 'john.doe@contoso.com']));
  });

  test('When an associate is deleted, then their addresses resolve to nobody, are free again, and the deletion is published', async () => {
    const a = await f.service.associates.upsert({ ...john, aliases: ['sales@contoso.com'] });
    const deleted = await f.service.associates.delete('sales@contoso.com');
    expect(deleted._id).toBe(a.associate._id);
    expect((await f.service.resolve(['john@contoso.com']))[0]!.kind).toBe('unknown');
    expect((await f.service.associates.upsert({ ...john, name: 'New John' })).outcome).toBe('CREATED');
    expect(f.changes[1]).toMatchObject({ change: 'associate.deleted', entityId: a.associate._id, addresses: expect.arrayContaining(['sales@contoso.com']) });
  });

  test('When a claim was left behind by an interrupted registration, then it is ignored, and another associate takes it over after the grace period', async () => {
    // Arrange: a claim whose owner never wrote its document
    await f.dir.claims.claimAll('crashed-id', [{ key: 'lost@contoso.com', address: 'lost@contoso.com', field: 'primary_address' }], async () => true, f.clock.now);
    const ann = { ...john, name: 'Ann', primaryAddress: 'ann@contoso.com', aliases: ['lost@contoso.com'] };
    expect((await f.service.resolve(['lost@contoso.com']))[0]!.kind).toBe('unknown');
    await expect(f.service.associates.upsert(ann)).rejects.toMatchObject({ code: 'ADDRESS_TAKEN' });
    // Act
    f.clock.now = new Date(f.clock.now.getTime() + ORPHAN_CLAIM_GRACE_MS + 1);
    const taken = await f.service.associates.upsert(ann);
    // Assert
    expect(taken.outcome).toBe('CREATED');
    expect((await f.service.resolve(['lost@contoso.com']))[0]).toMatchObject({ kind: 'associate', associate: { name: 'Ann' } });
  });

  test('When an interrupted registration is run again, then it completes under the id it claimed with', async () => {
    await f.dir.claims.claimAll('crashed-id', [{ key: 'john@contoso.com', address: 'john@contoso.com', field: 'primary_address' }], async () => true, f.clock.now);
    const again = await f.service.associates.upsert(john);
    expect(again).toMatchObject({ outcome: 'CREATED', associate: { _id: 'crashed-id' } });
  });

  test('When several persons share an address, then it resolves as ambiguous with every candidate; a person is updated and deleted cleanly', async () => {
    // Arrange
    await f.service.persons.upsert({ name: 'Front desk', company: 'Bakery', addresses: ['info@bakery.example'] });
    const owner = await f.service.persons.upsert({ name: 'Owner', company: 'Bakery', addresses: ['info@bakery.example', 'owner@bakery.example'] });
    // Act
    const [shared, own] = await f.service.resolve(['info@bakery.example', 'owner@bakery.example']);
    // Assert
    expect(shared!.kind === 'ambiguous' && shared!.candidates.map((p) => p.name).sort()).toEqual(['Front desk', 'Owner']);
    expect(own).toMatchObject({ kind: 'person', matchedBy: 'alias' });
    const again = await f.service.persons.upsert({ name: 'Owner', company: 'Bakery', addresses: ['info@bakery.example', 'owner@bakery.example'] });
    expect(again).toMatchObject({ outcome: 'UNCHANGED', person: { _id: owner.person._id } });
    await f.service.persons.upsert({ id: owner.person._id, name: 'Owner', company: 'Bakery', addresses: ['owner@bakery.example'] });
    expect((await f.service.resolve(['info@bakery.example']))[0]).toMatchObject({ kind: 'person', person: { name: 'Front desk' } });
    await f.service.persons.delete(owner.person._id);
    expect((await f.service.resolve(['owner@bakery.example']))[0]!.kind).toBe('unknown');
    expect(f.changes.map((c) => c.change)).toEqual(['person.created', 'person.created', 'person.updated', 'person.deleted']);
  });

  test('When associates and persons are listed, then pages follow each other without gaps', async () => {
    for (const n of ['a', 'b', 'c']) await f.service.associates.upsert({ ...john, name: n, primaryAddress: `${n}@contoso.com` });
    const first = await f.service.listAssociates(2, '');
    const second = await f.service.listAssociates(2, first.next);
    expect([...first.items, ...second.items].map((a) => a.name).sort()).toEqual(['a', 'b', 'c']);
    expect(second.next).toBe('');
  });
});
