import { credentials, status } from '@grpc/grpc-js';
import { appointmentV1, identityV1, outboundV1 } from '@inviteflow/proto-gen';
import { reasonOf } from '@inviteflow/rpc';
import type { AppError } from '@inviteflow/runtime';
import { cliError } from './cli-output';

export const CLI_DEADLINE_MS = 5000;

export function identityClient(address: string): identityV1.IdentityServiceClient {
  return new identityV1.IdentityServiceClient(address, credentials.createInsecure());
}

export function appointmentClient(address: string): appointmentV1.AppointmentServiceClient {
  return new appointmentV1.AppointmentServiceClient(address, credentials.createInsecure());
}

export function outboundClient(address: string): outboundV1.OutboundServiceClient {
  return new outboundV1.OutboundServiceClient(address, credentials.createInsecure());
}

/** Turns a gRPC failure into a message and exit code a person can act on. */
export function cliErrorFromGrpc(err: unknown, service: string, address: string): AppError {
  const e = err as { code?: number; details?: string };
  if (e.code === status.UNAVAILABLE || e.code === status.DEADLINE_EXCEEDED) {
    return cliError('CLI_UNAVAILABLE', `the ${service} service at ${address} is not answering (${e.details ?? 'unavailable'}); is the cluster up (./dev up)?`);
  }
  if (e.code === status.NOT_FOUND) return cliError('CLI_NOT_FOUND', e.details ?? 'not found');
  const reason = reasonOf(err);
  return cliError('CLI_PARTLY_FAILED', `${service}: ${e.details ?? String(err)}${reason ? ` [${reason}]` : ''}`);
}
