import { configDocsSection } from '@inviteflow/testing';
import { outboundConfig } from './config';

test('When the outbound-mail configuration changes, then docs/configuration.md says the same (regenerate with UPDATE_DOCS=1)', () => {
  const { expected, documented } = configDocsSection('outbound-mail', outboundConfig);
  expect(documented).toBe(expected);
});
