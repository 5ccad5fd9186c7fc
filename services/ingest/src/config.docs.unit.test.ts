import { configDocsSection } from '@inviteflow/testing';
import { ingestConfig } from './config';

test('When the ingest configuration changes, then docs/configuration.md says the same (regenerate with UPDATE_DOCS=1)', () => {
  const { expected, documented } = configDocsSection('ingest', ingestConfig);
  expect(documented).toBe(expected);
});
