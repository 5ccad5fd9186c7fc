import { status } from '@grpc/grpc-js';
import { assignGrpcStatus, reasonOf, toServiceError } from './grpc-errors';

describe('assignGrpcStatus: a service names the status of its own reason codes', () => {
  const table = { WIDGET_MISSING: status.NOT_FOUND, WIDGET_BUSY: status.FAILED_PRECONDITION };

  test('When an error carries a listed code, then it answers with the status the table names', () => {
    const err = assignGrpcStatus(Object.assign(new Error('no widget 7'), { code: 'WIDGET_MISSING' }), table);
    const answered = toServiceError(err);
    expect(answered.code).toBe(status.NOT_FOUND);
    expect(reasonOf(answered)).toBe('WIDGET_MISSING');
  });

  test('When an error carries a code the table does not list, then it keeps the shared mapping', () => {
    const err = assignGrpcStatus(Object.assign(new Error('down'), { code: 'MONGO_UNAVAILABLE' }), table);
    expect(err).not.toHaveProperty('grpcStatus');
    expect(toServiceError(err).code).toBe(status.UNAVAILABLE);
  });

  test('When the error has no code, then it is returned unchanged and answers INTERNAL', () => {
    const bug = new Error('bug');
    expect(assignGrpcStatus(bug, table)).toBe(bug);
    expect(toServiceError(bug).code).toBe(status.INTERNAL);
  });
});
