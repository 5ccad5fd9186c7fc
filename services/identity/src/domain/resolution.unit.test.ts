import type { AssociateDoc, PersonDoc } from './directory.model';
import { DEFAULT_POLICIES, mergePolicies } from './address.policy';
import { lookupKey } from './directory.keys';
import { DirectorySnapshot, resolveOne } from './resolution';

const policies = mergePolicies(DEFAULT_POLICIES, { 'contoso.onmicrosoft.com': { aliasOf: 'contoso.com' } });
const at = new Date('2026-01-01T00:00:00Z');

function associate(id: string, primaryAddress: string, aliases: string[] = []): AssociateDoc {
  return { _id: id, name: id, primaryAddress, aliases, timeZone: 'UTC', locale: '', group: '', version: 1, createdAt: at, updatedAt: at };
}

function person(id: string, addresses: string[]): PersonDoc {
  return { _id: id, name: id, company: 'Bakery', addresses, version: 1, createdAt: at, updatedAt: at };
}

/** A directory snapshot as the reader would build it from these entities. */
function snapshot(associates: AssociateDoc[], persons: PersonDoc[], claimsOverride?: Array<[string, string]>): DirectorySnapshot {
  const claims = claimsOverride ?? associates.flatMap((a) => [a.primaryAddress, ...a.aliases].map((x) => [lookupKey(x, policies).canonical, a._id] as [string, string]));
  const personIds = new Map<string, string[]>();
  for (const p of persons) for (const x of p.addresses) {
    const k = lookupKey(x, policies).canonical;
    personIds.set(k, [...(personIds.get(k) ?? []), p._id]);
  }
  return {
    claims: new Map(claims.map(([k, owner]) => [k, { _id: k, ownerId: owner, address: k, claimedAt: at }])),
    associates: new Map(associates.map((a) => [a._id, a])),
    personIds,
    persons: new Map(persons.map((p) => [p._id, p])),
  };
}

const dir = snapshot(
  [associate('john', 'john@contoso.com', ['john.doe@contoso.com']), associate('ann', 'ann@gmail.com')],
  [person('desk', ['info@bakery.example']), person('owner', ['owner@bakery.example', 'info@bakery.example']), person('marge', ['marge@example.org'])],
);

describe('resolveOne', () => {
  test.each([
    ['JOHN@contoso.com', 'associate', 'primary', 'john@contoso.com', []],
    ['mailto:john.doe@contoso.com', 'associate', 'alias', 'john.doe@contoso.com', []],
    ['john+crm@contoso.com', 'associate', 'policy', 'john@contoso.com', ['subaddress']],
    ['John.Doe@contoso.onmicrosoft.com', 'associate', 'policy', 'john.doe@contoso.com', ['domain-alias']],
    ['a.n.n@googlemail.com', 'associate', 'policy', 'ann@gmail.com', ['domain-alias', 'dots']],
    ['marge@example.org', 'person', 'primary', 'marge@example.org', []],
    ['owner@bakery.example', 'person', 'primary', 'owner@bakery.example', []],
    ['marge+x@example.org', 'person', 'policy', 'marge@example.org', ['subaddress']],
  ])('When %s is resolved, then it is the %s matched by %s (%s, rules %j)', (address, kind, matchedBy, matchedAddress, rules) => {
    expect(resolveOne(lookupKey(address, policies), dir, policies)).toMatchObject({ kind, matchedBy, matchedAddress, policies: rules });
  });

  test('When several persons share an address, then it is ambiguous with every candidate', () => {
    const r = resolveOne(lookupKey('info@bakery.example', policies), dir, policies);
    expect(r.kind === 'ambiguous' && r.candidates.map((p) => p._id).sort()).toEqual(['desk', 'owner']);
  });

  test('When an address is invalid, then it is unknown with the reason', () => {
    expect(resolveOne(lookupKey('not an address', policies), dir, policies)).toMatchObject({ kind: 'unknown', normalized: '', invalidReason: expect.stringMatching(/not a valid email address/) });
  });

  test('When a claim points to an associate that does not list the address, then the claim is ignored', () => {
    // Arrange: a leftover claim of an interrupted write
    const leftover = snapshot([associate('john', 'john@contoso.com')], [], [['ghost@contoso.com', 'john']]);
    // Act / Assert
    expect(resolveOne(lookupKey('ghost@contoso.com', policies), leftover, policies)).toMatchObject({ kind: 'unknown' });
  });

  test('When an associate and a person share an address, then the associate wins', () => {
    const both = snapshot([associate('john', 'john@contoso.com')], [person('p', ['john@contoso.com'])]);
    expect(resolveOne(lookupKey('john@contoso.com', policies), both, policies)).toMatchObject({ kind: 'associate' });
  });
});
