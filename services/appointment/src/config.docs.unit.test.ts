import { configDocsSection } from '@inviteflow/testing';
import { appointmentConfig } from './config';

test('When the appointment configuration changes, then docs/configuration.md says the same (regenerate with UPDATE_DOCS=1)', () => {
  const { expected, documented } = configDocsSection('appointment', appointmentConfig);
  expect(documented).toBe(expected);
});
