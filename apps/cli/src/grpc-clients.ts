import { readFileSync } from 'node:fs';
import { status } from '@grpc/grpc-js';
import { appointmentV1, identityV1, outboundV1 } from '@inviteflow/proto-gen';
import { clientChannelOptions, clientCredentials, GrpcClientSecurity, reasonOf } from '@inviteflow/rpc';
import type { AppError } from '@inviteflow/runtime';
import { cliError } from './cli-output';
import { resolveEndpoints, type CliGrpcFiles } from './endpoints';

export const CLI_DEADLINE_MS = 5000;

// Every client speaks TLS and sends the CLI's caller token (issue 15 §2): from INVITEFLOW_GRPC_*,
// else from what `cluster up` wrote. `security` is for callers that hold their own (chaos, tests).
export function identityClient(address: string, security: GrpcClientSecurity = cliGrpcSecurity()): identityV1.IdentityServiceClient {
  return new identityV1.IdentityServiceClient(address, clientCredentials(security), clientChannelOptions(address, security));
}

export function appointmentClient(address: string, security: GrpcClientSecurity = cliGrpcSecurity()): appointmentV1.AppointmentServiceClient {
  return new appointmentV1.AppointmentServiceClient(address, clientCredentials(security), clientChannelOptions(address, security));
}

export function outboundClient(address: string, security: GrpcClientSecurity = cliGrpcSecurity()): outboundV1.OutboundServiceClient {
  return new outboundV1.OutboundServiceClient(address, clientCredentials(security), clientChannelOptions(address, security));
}

/** The CLI's gRPC credentials; a missing or unreadable file is a usage error naming the variable. */
export function cliGrpcSecurity(files: CliGrpcFiles | undefined = resolveEndpoints().grpc): GrpcClientSecurity {
  if (files?.security === 'off') {
    process.stderr.write('warning: INVITEFLOW_GRPC_SECURITY=off: plaintext gRPC without a caller token (development only)\n');
    return { mode: 'insecure' };
  }
  const read = (name: string, path: string | undefined): Buffer => {
    if (!path) throw cliError('CLI_USAGE', `no gRPC credential: set INVITEFLOW_GRPC_${name} (./dev up writes the local cluster's into .data/cluster.json)`);
    try {
      return readFileSync(path);
    } catch (err) {
      throw cliError('CLI_FILE_UNREADABLE', `INVITEFLOW_GRPC_${name} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
  };
  const withCert = files?.certFile !== undefined || files?.keyFile !== undefined;
  return {
    mode: 'secure', ca: read('CA_FILE', files?.caFile), token: read('TOKEN_FILE', files?.tokenFile).toString('utf8').trim(),
    ...(withCert ? { cert: read('CERT_FILE', files?.certFile), key: read('KEY_FILE', files?.keyFile) } : {}),
    ...(files?.serverName ? { serverName: files.serverName } : {}),
  };
}

/** Turns a gRPC failure into a message and exit code a person can act on. */
export function cliErrorFromGrpc(err: unknown, service: string, address: string): AppError {
  const e = err as { code?: number; details?: string };
  if (e.code === status.UNAVAILABLE || e.code === status.DEADLINE_EXCEEDED) {
    return cliError('CLI_UNAVAILABLE', `the ${service} service at ${address} is not answering (${e.details ?? 'unavailable'}); is the cluster up (./dev up)?`);
  }
  if (e.code === status.NOT_FOUND) return cliError('CLI_NOT_FOUND', e.details ?? 'not found');
  if (e.code === status.UNAUTHENTICATED) {
    return cliError('CLI_PARTLY_FAILED', `the ${service} service at ${address} refused the CLI's credential (${e.details ?? 'unauthenticated'}); check INVITEFLOW_GRPC_TOKEN_FILE`);
  }
  const reason = reasonOf(err);
  return cliError('CLI_PARTLY_FAILED', `${service}: ${e.details ?? String(err)}${reason ? ` [${reason}]` : ''}`);
}
