import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAppError } from '@inviteflow/runtime';
import { INFRA_ERROR_CODES, infraUnavailable } from './infra.errors';

const catalogue = readFileSync(join(__dirname, '../../../docs/error-codes.md'), 'utf8');

describe('libs/infra error codes', () => {
  test.each(Object.values(INFRA_ERROR_CODES))('When %s is defined, then docs/error-codes.md has a row for it', (code) => {
    expect(catalogue).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });

  test('When no NATS can be had, then the AppError names what to install and keeps the cause', () => {
    const cause = new Error('connect ECONNREFUSED');
    const err = infraUnavailable('NATS', 'nats://127.0.0.1:1 does not answer', cause);
    expect(isAppError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'INFRA_UNAVAILABLE', retryable: false, cause });
    expect(err.message).toMatch(/NATS_URL.*container runtime.*Go.*nats:\/\/127\.0\.0\.1:1/);
  });
});
