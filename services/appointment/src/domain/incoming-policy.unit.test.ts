import { effectivePolicy, gateVerdict, INCOMING_POLICIES, POLICY_LEVELS, type IncomingPolicy, type PolicyLevel, type PolicySetting } from './incoming-policy';

const ANN = 'A-ANN';
const SALES = 'sales';

function setting(level: PolicyLevel, policy: IncomingPolicy): PolicySetting {
  return { level, scope: level === 'associate' ? ANN : level === 'group' ? SALES : '', policy };
}

const EXPECTED_KIND: Record<IncomingPolicy, { kind: string; evaluate?: boolean }> = {
  ENABLE_ALL: { kind: 'apply' },
  NO_TENTATIVE_CREATION: { kind: 'apply-unless-new' },
  NO_CREATION_UPDATES_REPLIES: { kind: 'skip', evaluate: true },
  DISABLE_ALL: { kind: 'skip', evaluate: false },
};

describe('Manage incoming invitations: the decision', () => {
  const cases = POLICY_LEVELS.flatMap((level) => INCOMING_POLICIES.map((policy) => [level, policy] as const));

  test.each(cases)('Given only the %s level set to %s, when an invitation for a member arrives, then that level decides it', (level, policy) => {
    const effective = effectivePolicy([setting(level, policy)], ANN, SALES);
    expect(effective).toEqual({ policy, level, scope: setting(level, policy).scope });
    const verdict = gateVerdict(false, effective);
    expect(verdict).toMatchObject(EXPECTED_KIND[policy]);
    if (verdict.kind !== 'apply') expect(verdict.by).toEqual({ outcome: 'POLICY', value: policy, level, scope: setting(level, policy).scope });
  });

  test.each([
    // [set levels (associate, group, system), expected level]
    [{ associate: 'DISABLE_ALL', group: 'ENABLE_ALL', system: 'NO_TENTATIVE_CREATION' }, 'associate'],
    [{ associate: 'ENABLE_ALL', group: 'DISABLE_ALL', system: 'DISABLE_ALL' }, 'associate'],
    [{ group: 'NO_CREATION_UPDATES_REPLIES', system: 'ENABLE_ALL' }, 'group'],
    [{ group: 'ENABLE_ALL', system: 'DISABLE_ALL' }, 'group'],
    [{ system: 'NO_TENTATIVE_CREATION' }, 'system'],
  ] as const)('Given the levels %j, when the policy is worked out, then the most specific set level (%s) wins', (set, level) => {
    const settings = Object.entries(set).map(([l, p]) => setting(l as PolicyLevel, p as IncomingPolicy));
    const effective = effectivePolicy(settings, ANN, SALES);
    expect(effective.level).toBe(level);
    expect(effective.policy).toBe((set as Record<string, string>)[level]);
  });

  test('Given another associate\'s and another group\'s setting, when the policy is worked out, then neither applies and the system value does', () => {
    const settings: PolicySetting[] = [
      { level: 'associate', scope: 'A-BOB', policy: 'DISABLE_ALL' },
      { level: 'group', scope: 'support', policy: 'DISABLE_ALL' },
      { level: 'system', scope: '', policy: 'NO_TENTATIVE_CREATION' },
    ];
    expect(effectivePolicy(settings, ANN, SALES)).toEqual({ policy: 'NO_TENTATIVE_CREATION', level: 'system', scope: '' });
  });

  test('Given an associate in no group and a group setting, when the policy is worked out, then the group setting does not apply', () => {
    expect(effectivePolicy([{ level: 'group', scope: '', policy: 'DISABLE_ALL' }], ANN, '')).toEqual({ policy: 'ENABLE_ALL', level: 'default', scope: '' });
  });

  test('Given nothing set, when the policy is worked out, then every invitation is applied (the seed\'s behaviour)', () => {
    const effective = effectivePolicy([], ANN, SALES);
    expect(effective).toEqual({ policy: 'ENABLE_ALL', level: 'default', scope: '' });
    expect(gateVerdict(false, effective)).toEqual({ kind: 'apply' });
  });

  test.each(INCOMING_POLICIES)('Given the synchronizer in use and the associate at %s, when an invitation arrives, then it is SYNCHRONIZER, not applied and not evaluated', (policy) => {
    const verdict = gateVerdict(true, effectivePolicy([setting('associate', policy)], ANN, SALES));
    expect(verdict).toEqual({ kind: 'skip', evaluate: false, by: { outcome: 'SYNCHRONIZER', value: 'SYNCHRONIZER_IN_USE', level: 'global', scope: '' } });
  });
});
