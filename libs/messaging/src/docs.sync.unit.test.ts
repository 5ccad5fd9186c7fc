// docs/error-codes.md is the operators' catalogue: every code this library raises has a row.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGING_ERROR_CODES } from './messaging.errors';

const catalogue = readFileSync(join(__dirname, '../../../docs/error-codes.md'), 'utf8');

describe('docs stay in step with libs/messaging', () => {
  test.each(Object.values(MESSAGING_ERROR_CODES))('When %s is defined, then docs/error-codes.md has a row for it', (code) => {
    expect(catalogue).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });
});
