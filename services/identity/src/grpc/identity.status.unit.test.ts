import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { AppError } from '@inviteflow/runtime';
import { MongoNetworkError } from 'mongodb';
import { IDENTITY_ERROR_CODES } from '../domain/identity.errors';
import { STATUS_BY_REASON, withGrpcStatus } from './identity.status';

const LOG_ONLY = new Set<string>([IDENTITY_ERROR_CODES.eventPublishFailed, IDENTITY_ERROR_CODES.rekeyConflict]);
const errorCodesDoc = readFileSync(join(__dirname, '../../../../docs/error-codes.md'), 'utf8');

describe('identity reason codes', () => {
  test.each(Object.values(IDENTITY_ERROR_CODES))('When %s is defined, then docs/error-codes.md has a row for it', (code) => {
    expect(errorCodesDoc).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });

  test.each(Object.values(IDENTITY_ERROR_CODES).filter((c) => !LOG_ONLY.has(c)))('When %s is answered, then it has a gRPC status of its own', (code) => {
    expect(STATUS_BY_REASON[code]).toBeDefined();
  });

  test('When errors reach the transport, then each gets its status: ours by code, a driver error after mapping', () => {
    expect(withGrpcStatus(new AppError({ code: 'ADDRESS_TAKEN', message: 'x', retryable: false }))).toMatchObject({ grpcStatus: status.ALREADY_EXISTS });
    expect(withGrpcStatus(new AppError({ code: 'MONGO_UNAVAILABLE', message: 'down', retryable: true }))).toMatchObject({ grpcStatus: status.UNAVAILABLE });
    expect(withGrpcStatus(new MongoNetworkError('connection refused'))).toMatchObject({ code: 'MONGO_UNAVAILABLE', grpcStatus: status.UNAVAILABLE });
    expect(withGrpcStatus(new Error('bug'))).not.toHaveProperty('grpcStatus');
  });
});
