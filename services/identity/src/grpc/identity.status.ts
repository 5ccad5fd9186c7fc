import { status } from '@grpc/grpc-js';
import { mapMongoError } from '@inviteflow/mongo';
import { assignGrpcStatus } from '@inviteflow/rpc';
import { IDENTITY_ERROR_CODES as C } from '../domain/identity.errors';

/** Reason code → gRPC status (docs/error-codes.md, "Identity"). */
export const STATUS_BY_REASON: Readonly<Record<string, status>> = {
  [C.invalidArgument]: status.INVALID_ARGUMENT,
  [C.invalidAddress]: status.INVALID_ARGUMENT,
  [C.batchTooLarge]: status.INVALID_ARGUMENT,
  [C.addressTaken]: status.ALREADY_EXISTS,
  [C.ownerNotFound]: status.NOT_FOUND,
  [C.associateNotFound]: status.NOT_FOUND,
  [C.personNotFound]: status.NOT_FOUND,
  [C.aliasNotFound]: status.NOT_FOUND,
  [C.aliasNotOwned]: status.FAILED_PRECONDITION,
  [C.primaryNotRemovable]: status.FAILED_PRECONDITION,
  [C.conflict]: status.ABORTED,
  [C.deadlineExceeded]: status.DEADLINE_EXCEEDED,
  [C.cancelled]: status.CANCELLED,
  MONGO_UNAVAILABLE: status.UNAVAILABLE,
  MONGO_FAILURE: status.INTERNAL,
};

/**
 * Gives an error the status libs/rpc answers with (it reads `grpcStatus`), after turning a
 * raw driver error into its stable code (MONGO_UNAVAILABLE is retryable: UNAVAILABLE).
 */
export function withGrpcStatus(err: unknown): unknown {
  return assignGrpcStatus(mapMongoError(err), STATUS_BY_REASON);
}
