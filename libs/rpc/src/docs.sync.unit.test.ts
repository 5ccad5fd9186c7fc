// docs/error-codes.md is the operator's catalogue; this fails the build when it drifts from libs/rpc.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRPC_SECURITY_CODES } from './grpc-callers';

const errorCodes = readFileSync(join(__dirname, '../../../docs/error-codes.md'), 'utf8');

describe('docs stay in step with libs/rpc', () => {
  test.each(Object.values(GRPC_SECURITY_CODES))('When %s is defined, then docs/error-codes.md has a row for it', (code) => {
    expect(errorCodes).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });
});
