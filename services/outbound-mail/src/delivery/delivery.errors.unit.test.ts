import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DELIVERY_CODES } from './delivery.errors';

const catalogue = readFileSync(join(__dirname, '../../../../docs/error-codes.md'), 'utf8');

test.each(DELIVERY_CODES)('When delivery records or logs %s, then docs/error-codes.md has a row for it', (code) => {
  expect(catalogue).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
});
