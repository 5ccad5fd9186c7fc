import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RSVP_ERROR_CODES, RSVP_LOG_CODES } from './rsvp.codes';

const catalogue = readFileSync(join(__dirname, '../../../../docs/error-codes.md'), 'utf8');

test.each([...RSVP_ERROR_CODES, ...RSVP_LOG_CODES])('When the RSVP block uses %s, then docs/error-codes.md has a row for it', (code) => {
  expect(catalogue).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
});
