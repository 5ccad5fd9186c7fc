import {
  commonConfig, ConfigError, ConfigOf, defineConfig, envVar, grpcServerConfig, healthPortVar, mongoConfig, natsConfig, serviceDatabaseVar,
} from '@inviteflow/runtime';
import { DEFAULT_POLICIES, mergePolicies, PolicySet, policyProblems } from './domain/address.policy';
import { inlinePolicies, policyFile } from './policy.config';

export const identityConfig = defineConfig({
  ...commonConfig,
  healthPort: healthPortVar(9601),
  ...natsConfig,
  ...mongoConfig,
  mongoDb: serviceDatabaseVar('identity', 'inviteflow_identity'),
  ...grpcServerConfig(50051),
  addressPoliciesFile: envVar('ADDRESS_POLICIES_FILE', policyFile.optional(), {
    doc: 'Path of a JSON file of per-domain address policies (docs/identity.md); read once at boot.',
    expected: 'a readable JSON file {"domain": {"subaddress"?, "dotInsensitive"?, "aliasOf"?}}',
  }),
  addressPolicies: envVar('ADDRESS_POLICIES', inlinePolicies, {
    default: {}, doc: 'Per-domain address policies as inline JSON; entries override the file, which overrides the defaults.',
    expected: 'JSON {"domain": {"subaddress"?, "dotInsensitive"?, "aliasOf"?}}',
  }),
});

export type IdentityConfig = ConfigOf<typeof identityConfig>;

/**
 * Defaults, then the file, then the inline variable; one domain's entry replaces the one
 * below it whole. The merged set is checked again: an alias may point into another layer.
 */
export function effectivePolicies(config: Pick<IdentityConfig, 'addressPolicies' | 'addressPoliciesFile'>): PolicySet {
  const merged = mergePolicies(DEFAULT_POLICIES, config.addressPoliciesFile ?? {}, config.addressPolicies);
  const problems = policyProblems(merged);
  if (problems.length > 0) {
    throw new ConfigError('identity', [{ env: 'ADDRESS_POLICIES', reason: 'invalid', expected: `policies that work with ADDRESS_POLICIES_FILE and the defaults: ${problems.join('; ')}` }]);
  }
  return merged;
}
