// gRPC security of a cluster the CLI runs (issue 15 §2): a throw-away CA, one server and one
// client certificate and a token per caller, made at each start, or none when the developer
// says INVITEFLOW_GRPC_SECURITY=off (plaintext, no caller check; development only, and said so).
import { readFileSync } from 'node:fs';
import { generateGrpcPki, type GrpcPki } from '@inviteflow/infra';
import type { GrpcClientSecurity } from '@inviteflow/rpc';
import { LOCAL_GRPC_ACCESS } from './service-catalog';

export interface ClusterGrpc {
  /** Undefined when security is off. */
  readonly pki: GrpcPki | undefined;
  /** A caller's credentials for this cluster (TLS, client certificate, its token). */
  client(caller?: string): GrpcClientSecurity;
}

export function grpcSecurityOff(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['INVITEFLOW_GRPC_SECURITY'] === 'off';
}

export function clusterGrpcPki(dir: string, given?: GrpcPki, env: NodeJS.ProcessEnv = process.env): ClusterGrpc {
  const pki = given ?? (grpcSecurityOff(env) ? undefined : generateGrpcPki(dir, LOCAL_GRPC_ACCESS));
  return { pki, client: (caller = 'cli') => clientSecurityFrom(pki, caller) };
}

export function clientSecurityFrom(pki: GrpcPki | undefined, caller: string): GrpcClientSecurity {
  if (!pki) return { mode: 'insecure' };
  return {
    mode: 'secure', ca: readFileSync(pki.caFile), token: readFileSync(pki.tokenFile(caller), 'utf8').trim(),
    cert: readFileSync(pki.clientCertFile), key: readFileSync(pki.clientKeyFile), serverName: 'localhost',
  };
}

/** INVITEFLOW_GRPC_* that point a CLI process at this cluster's `cli` credential. */
export function cliGrpcEnv(grpc: ClusterGrpc): Record<string, string> {
  const pki = grpc.pki;
  if (!pki) return { INVITEFLOW_GRPC_SECURITY: 'off' };
  return {
    INVITEFLOW_GRPC_CA_FILE: pki.caFile, INVITEFLOW_GRPC_TOKEN_FILE: pki.tokenFile('cli'),
    INVITEFLOW_GRPC_CERT_FILE: pki.clientCertFile, INVITEFLOW_GRPC_KEY_FILE: pki.clientKeyFile, INVITEFLOW_GRPC_SERVER_NAME: 'localhost',
  };
}
