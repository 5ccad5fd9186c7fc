import { configDocsSection } from '@inviteflow/testing';
import { parserConfig } from './config';

test('When the parser configuration changes, then docs/configuration.md says the same (regenerate with UPDATE_DOCS=1)', () => {
  const { expected, documented } = configDocsSection('parser', parserConfig);
  expect(documented).toBe(expected);
});
