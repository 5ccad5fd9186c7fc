// The operator's catalogue must name every code this library raises; reads one file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MONGO_ERROR_CODES } from './mongo.errors';

const errorCodes = readFileSync(join(__dirname, '../../../docs/error-codes.md'), 'utf8');

describe('docs stay in step with libs/mongo', () => {
  test.each(Object.values(MONGO_ERROR_CODES))('When %s is defined, then docs/error-codes.md has a row for it', (code) => {
    expect(errorCodes).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });
});
