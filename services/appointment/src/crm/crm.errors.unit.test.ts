import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { CRM_ERROR_CODES, CRM_STATUS, crmError } from './crm.errors';

const catalogue = readFileSync(join(__dirname, '../../../../docs/error-codes.md'), 'utf8');
const LOG_ONLY = new Set<string>([CRM_ERROR_CODES.outboundFlushFailed]);

describe('CRM reason codes', () => {
  test.each(Object.values(CRM_ERROR_CODES))('When %s is defined, then docs/error-codes.md has a row for it', (code) => {
    expect(catalogue).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });

  test.each(Object.values(CRM_ERROR_CODES).filter((c) => !LOG_ONLY.has(c)))('When %s is answered, then it has a gRPC status of its own', (code) => {
    expect(CRM_STATUS[code]).toBeDefined();
  });

  test('When a refusal is made, then it names its field first and carries its gRPC status', () => {
    const err = crmError('NOT_INVITED', 'uid', 'not invited');
    expect([err.message, err.details, (err as unknown as { grpcStatus: number }).grpcStatus]).toEqual(['uid: not invited', { field: 'uid' }, status.FAILED_PRECONDITION]);
  });
});
