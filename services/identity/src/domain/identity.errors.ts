import { AppError } from '@inviteflow/runtime';

/**
 * Reason codes the identity service answers with (docs/error-codes.md, "Identity"). Stable
 * once shipped. grpc/identity.status maps each to its gRPC status.
 */
export const IDENTITY_ERROR_CODES = {
  invalidArgument: 'INVALID_ARGUMENT',
  invalidAddress: 'INVALID_ADDRESS',
  batchTooLarge: 'BATCH_TOO_LARGE',
  addressTaken: 'ADDRESS_TAKEN',
  ownerNotFound: 'OWNER_NOT_FOUND',
  associateNotFound: 'ASSOCIATE_NOT_FOUND',
  personNotFound: 'PERSON_NOT_FOUND',
  aliasNotFound: 'ALIAS_NOT_FOUND',
  aliasNotOwned: 'ALIAS_NOT_OWNED',
  primaryNotRemovable: 'PRIMARY_ADDRESS_NOT_REMOVABLE',
  conflict: 'CONFLICT',
  deadlineExceeded: 'DEADLINE_EXCEEDED',
  cancelled: 'CANCELLED',
  eventPublishFailed: 'IDENTITY_EVENT_PUBLISH_FAILED',
  rekeyConflict: 'POLICY_REKEY_CONFLICT',
} as const;

export type IdentityErrorCode = (typeof IDENTITY_ERROR_CODES)[keyof typeof IDENTITY_ERROR_CODES];

/** A refusal about one input field: the message starts with the field, `details.field` names it. */
export function fieldError(code: IdentityErrorCode, field: string, message: string): AppError {
  return new AppError({ code, message: `${field}: ${message}`, retryable: false, details: { field } });
}

export function notFound(code: IdentityErrorCode, message: string): AppError {
  return new AppError({ code, message, retryable: false });
}

/** The field an error concerns, if it names one. */
export function fieldOf(err: unknown): string {
  const field = (err as { details?: { field?: unknown } }).details?.field;
  return typeof field === 'string' ? field : '';
}
