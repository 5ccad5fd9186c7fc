import { configDocsSection } from '@inviteflow/testing';
import { identityConfig } from './config';

test('When the identity configuration changes, then docs/configuration.md says the same (regenerate with UPDATE_DOCS=1)', () => {
  const { expected, documented } = configDocsSection('identity', identityConfig);
  expect(documented).toBe(expected);
});
