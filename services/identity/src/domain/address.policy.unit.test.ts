import { canonicalAddress, DEFAULT_POLICIES, mergePolicies, policyFingerprint, policyProblems } from './address.policy';

const policies = mergePolicies(DEFAULT_POLICIES, {
  'contoso.onmicrosoft.com': { aliasOf: 'contoso.com' },
  'strict.example': { subaddress: '' },
  'dash.example': { subaddress: '+-' },
});

describe('canonicalAddress', () => {
  test.each([
    ['john@contoso.com', 'john@contoso.com', []],
    ['john+crm@contoso.com', 'john@contoso.com', ['subaddress']],
    ['john@contoso.onmicrosoft.com', 'john@contoso.com', ['domain-alias']],
    ['john+x@contoso.onmicrosoft.com', 'john@contoso.com', ['domain-alias', 'subaddress']],
    ['j.o.h.n@gmail.com', 'john@gmail.com', ['dots']],
    ['j.o.h.n+news@googlemail.com', 'john@gmail.com', ['domain-alias', 'subaddress', 'dots']],
    ['john.doe@contoso.com', 'john.doe@contoso.com', []],
    ['+team@contoso.com', '+team@contoso.com', []],
    ['john+crm@strict.example', 'john+crm@strict.example', []],
    ['john-crm@dash.example', 'john@dash.example', ['subaddress']],
  ])('When %s is keyed, then the key is %s by %j', (address, key, rules) => {
    expect(canonicalAddress(address, policies)).toEqual({ key, rules });
  });

  test('When a key is keyed again, then it does not change', () => {
    for (const a of ['j.o.h.n+news@googlemail.com', 'john+x@contoso.onmicrosoft.com']) {
      const once = canonicalAddress(a, policies).key;
      expect(canonicalAddress(once, policies)).toEqual({ key: once, rules: [] });
    }
  });
});

describe('policyProblems', () => {
  test('When the defaults are checked, then they have no problems', () => {
    expect(policyProblems(DEFAULT_POLICIES)).toEqual([]);
  });

  test.each([
    [{ 'a.example': { aliasOf: 'b.example' }, 'b.example': { aliasOf: 'a.example' } }, /loop/],
    [{ '*': { aliasOf: 'b.example' } }, /"\*" cannot be an alias/],
    [{ 'a.example': { aliasOf: 'b.example', dotInsensitive: true } }, /cannot set its own/],
    [{ 'a.example': { subaddress: '.' } }, /separators/],
  ])('When %j is checked, then the problem is named', (set, problem) => {
    expect(policyProblems(set).join('; ')).toMatch(problem);
  });
});

describe('policyFingerprint', () => {
  test('When any rule changes, then the fingerprint changes; when nothing does, it stays', () => {
    const a = policyFingerprint(DEFAULT_POLICIES);
    expect(policyFingerprint(mergePolicies(DEFAULT_POLICIES))).toBe(a);
    expect(policyFingerprint(mergePolicies(DEFAULT_POLICIES, { 'gmail.com': { subaddress: '+' } }))).not.toBe(a);
  });
});
