// TLS and caller credentials for gRPC (issue 15 §2). A secure server speaks TLS only (optionally
// mutual: every client shows a certificate from the configured CA) and checks a bearer token on
// every call of its own services; grpc.health.v1 stays open so probes need no token. `insecure`
// exists for development only; services log a warning when they run it.
import {
  CallCredentials, ChannelCredentials, ChannelOptions, credentials, Metadata, ServerCredentials, ServiceDefinition,
  ServiceError, UntypedHandleCall, UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { AUTHORIZATION_METADATA_KEY, CallerEntry, checkCaller } from './grpc-callers';
import { channelOptions } from './grpc-client';
import { REASON_METADATA_KEY } from './grpc-errors';

export interface TlsServerMaterial {
  /** PEM certificate chain of the server. */
  cert: Buffer;
  /** PEM private key of the server. */
  key: Buffer;
  /** PEM CA bundle: when set, mutual TLS: a client without a certificate it signed cannot connect. */
  clientCa?: Buffer;
}

export type GrpcServerSecurity =
  | { mode: 'secure'; tls: TlsServerMaterial; callers: readonly CallerEntry[] }
  | { mode: 'insecure' };

export type GrpcClientSecurity =
  | {
      mode: 'secure';
      /** PEM CA bundle that signed the servers' certificates. */
      ca: Buffer;
      /** This caller's bearer token. */
      token: string;
      /** Client certificate and key, for servers that require mutual TLS. */
      cert?: Buffer;
      key?: Buffer;
      /** Name checked against the server certificate instead of the target's host. */
      serverName?: string;
    }
  | { mode: 'insecure' };

export interface DeniedCallLog {
  warn(obj: object, msg?: string): void;
}

export function serverCredentials(security: GrpcServerSecurity): ServerCredentials {
  if (security.mode === 'insecure') return ServerCredentials.createInsecure();
  const { cert, key, clientCa } = security.tls;
  return ServerCredentials.createSsl(clientCa ?? null, [{ cert_chain: cert, private_key: key }], clientCa !== undefined);
}

/**
 * Wraps every handler of a service so it runs only for a known caller; others get
 * UNAUTHENTICATED with the reason GRPC_UNAUTHENTICATED and a message saying what was missing.
 */
export function guardImplementation(
  definition: ServiceDefinition, implementation: UntypedServiceImplementation, callers: readonly CallerEntry[], log?: DeniedCallLog,
): UntypedServiceImplementation {
  const guarded: UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(implementation)) {
    const streams = definition[method]?.responseStream === true;
    guarded[method] = ((call: { metadata: Metadata; getPeer(): string; emit(e: string, err: unknown): void }, callback?: (err: Partial<ServiceError>, res: null) => void) => {
      const check = checkCaller(callers, call.metadata);
      if (check.ok) return (handler as (...a: unknown[]) => unknown)(call, callback);
      const metadata = new Metadata();
      metadata.set(REASON_METADATA_KEY, check.reason);
      log?.warn({ code: check.reason, method: definition[method]?.path ?? method, peer: call.getPeer() }, 'gRPC call refused: caller not authenticated');
      const err = { code: check.code, details: check.message, metadata };
      if (streams || !callback) call.emit('error', err);
      else callback(err, null);
      return undefined;
    }) as UntypedHandleCall;
  }
  return guarded;
}

/** Channel credentials of a client: TLS plus its bearer token on every call, or plaintext. */
export function clientCredentials(security: GrpcClientSecurity): ChannelCredentials {
  if (security.mode === 'insecure') return credentials.createInsecure();
  const tls = credentials.createSsl(security.ca, security.key ?? null, security.cert ?? null);
  const bearer = `Bearer ${security.token}`;
  const token = CallCredentials.createFromMetadataGenerator((_params, cb) => {
    const md = new Metadata();
    md.set(AUTHORIZATION_METADATA_KEY, bearer);
    cb(null, md);
  });
  return credentials.combineChannelCredentials(tls, token);
}

/** channelOptions(target) plus the TLS name override, if one is set. */
export function clientChannelOptions(target: string, security: GrpcClientSecurity): ChannelOptions {
  const base = channelOptions(target);
  if (security.mode === 'insecure' || !security.serverName) return base;
  return { ...base, 'grpc.ssl_target_name_override': security.serverName, 'grpc.default_authority': security.serverName };
}
