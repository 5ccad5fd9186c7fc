import { Metadata, ServiceError, status } from '@grpc/grpc-js';

/** Metadata key carrying the stable, machine-readable reason code (docs/error-codes.md). */
export const REASON_METADATA_KEY = 'inviteflow-reason';

/** Shape of an application error, duck-typed so this library needs no runtime dependency. */
export interface CodedError {
  code: string;
  message: string;
  grpcStatus?: status;
}

/**
 * Reason codes with a fixed gRPC status. Anything else that carries `grpcStatus` uses it;
 * unknown failures become INTERNAL, never a misleading success-ish status.
 */
const STATUS_BY_CODE: Record<string, status> = {
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  INVALID_ADDRESS: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  DUPLICATE_KEY: status.ALREADY_EXISTS,
  ADDRESS_TAKEN: status.ALREADY_EXISTS,
  CONFLICT: status.ABORTED,
  MONGO_UNAVAILABLE: status.UNAVAILABLE,
  SHUTTING_DOWN: status.UNAVAILABLE,
};

function isCodedError(err: unknown): err is CodedError {
  return typeof err === 'object' && err !== null && typeof (err as CodedError).code === 'string';
}

export function toServiceError(err: unknown): Partial<ServiceError> {
  const metadata = new Metadata();
  if (isCodedError(err)) {
    metadata.set(REASON_METADATA_KEY, err.code);
    const code = err.grpcStatus ?? STATUS_BY_CODE[err.code] ?? status.INTERNAL;
    return { code, details: err.message, metadata };
  }
  metadata.set(REASON_METADATA_KEY, 'INTERNAL');
  return { code: status.INTERNAL, details: err instanceof Error ? err.message : String(err), metadata };
}

/**
 * Gives an error the status its service's reason → status table names (toServiceError reads
 * `grpcStatus`); an error without a listed code is returned as it is and answers INTERNAL.
 */
export function assignGrpcStatus<E>(err: E, statusByReason: Readonly<Record<string, status>>): E {
  if (isCodedError(err) && statusByReason[err.code] !== undefined) err.grpcStatus = statusByReason[err.code];
  return err;
}

/** The reason code a server attached to a failed call, if any. */
export function reasonOf(err: unknown): string | undefined {
  const md = (err as ServiceError | undefined)?.metadata;
  const value = md?.get(REASON_METADATA_KEY)[0];
  return typeof value === 'string' ? value : undefined;
}

export function statusName(code: number): string {
  return status[code] ?? String(code);
}
