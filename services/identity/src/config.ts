import { z } from 'zod';
import { commonConfig, ConfigError, ConfigOf, defineConfig, envVar, healthPortVar, mongoConfig, natsConfig } from '@inviteflow/runtime';
import { DEFAULT_POLICIES, mergePolicies, PolicySet, policyProblems } from './domain/address.policy';
import { inlinePolicies, policyFile } from './policy.config';

export const identityConfig = defineConfig({
  ...commonConfig,
  healthPort: healthPortVar(9601),
  ...natsConfig,
  ...mongoConfig,
  mongoDb: envVar('MONGO_DB', z.string().regex(/^[A-Za-z0-9_-]{1,60}$/), {
    default: 'inviteflow_identity', doc: "The identity service's own database.", expected: 'a database name',
  }),
  grpcHost: envVar('GRPC_HOST', z.string().min(1), { default: '127.0.0.1', doc: 'Interface of the gRPC server (0.0.0.0 in Kubernetes).', expected: 'a host or IP' }),
  grpcPort: envVar('GRPC_PORT', z.coerce.number().int().min(0).max(65535), { default: 50051, doc: 'gRPC port; 0 picks a free one.', expected: 'a port 0-65535' }),
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
