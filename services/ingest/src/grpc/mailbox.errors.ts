import { status } from '@grpc/grpc-js';
import { mapMongoError } from '@inviteflow/mongo';
import { assignGrpcStatus } from '@inviteflow/rpc';
import { AppError } from '@inviteflow/runtime';
import { SECRET_ERROR_CODES } from '../secrets/mailbox-secret';

/** Codes MailboxService answers with (docs/error-codes.md, "Ingest: mailbox admin"). */
export const MAILBOX_ADMIN_ERROR_CODES = {
  invalidId: 'MAILBOX_INVALID_ID',
  invalidServer: 'MAILBOX_INVALID_SERVER',
  invalidUser: 'MAILBOX_INVALID_USER',
  secretRequired: 'MAILBOX_SECRET_REQUIRED',
  invalidFolder: 'MAILBOX_INVALID_FOLDER',
  invalidAfter: 'MAILBOX_INVALID_AFTER',
  invalidPollInterval: 'MAILBOX_INVALID_POLL_INTERVAL',
  exists: 'MAILBOX_EXISTS',
  notFound: 'MAILBOX_NOT_FOUND',
  ...SECRET_ERROR_CODES,
} as const;

type AdminCode = (typeof MAILBOX_ADMIN_ERROR_CODES)[keyof typeof MAILBOX_ADMIN_ERROR_CODES];
const C = MAILBOX_ADMIN_ERROR_CODES;

/** Reason code → gRPC status; libs/rpc answers with `grpcStatus`. */
export const STATUS_BY_REASON: Readonly<Record<AdminCode | 'MONGO_UNAVAILABLE', status>> = {
  [C.invalidId]: status.INVALID_ARGUMENT,
  [C.invalidServer]: status.INVALID_ARGUMENT,
  [C.invalidUser]: status.INVALID_ARGUMENT,
  [C.secretRequired]: status.INVALID_ARGUMENT,
  [C.invalidFolder]: status.INVALID_ARGUMENT,
  [C.invalidAfter]: status.INVALID_ARGUMENT,
  [C.invalidPollInterval]: status.INVALID_ARGUMENT,
  [C.refInvalid]: status.INVALID_ARGUMENT,
  // The reference is well-formed but ingest cannot read it (yet): a precondition, not bad input.
  [C.unreadable]: status.FAILED_PRECONDITION,
  [C.exists]: status.ALREADY_EXISTS,
  [C.notFound]: status.NOT_FOUND,
  MONGO_UNAVAILABLE: status.UNAVAILABLE,
};

/** A refused field: the message names the field and what was expected, never a secret's value. */
export function invalid(code: AdminCode, message: string): AppError {
  return new AppError({ code, message, retryable: false });
}

/** A raw driver error becomes its stable code first (MONGO_UNAVAILABLE is retryable: UNAVAILABLE). */
export function withGrpcStatus(err: unknown): unknown {
  return assignGrpcStatus(mapMongoError(err), STATUS_BY_REASON);
}
