// Turns the GRPC_* security variables (libs/runtime grpc-security.config.ts) into what libs/rpc
// takes: reads the certificate, key, callers and token files once at start. Every missing or
// unreadable file is one ConfigError listing them all; file contents never reach a log.
import { readFileSync } from 'node:fs';
import { GRPC_SECURITY_CODES, GrpcClientSecurity, GrpcServerSecurity, parseCallers } from '@inviteflow/rpc';
import { ConfigError, type ConfigProblem } from '@inviteflow/runtime';

export interface GrpcServerSecuritySettings {
  grpcSecurity: 'on' | 'off';
  grpcTlsCertFile?: string;
  grpcTlsKeyFile?: string;
  grpcTlsClientCaFile?: string;
  grpcCallersFile?: string;
}

export interface GrpcClientSecuritySettings {
  grpcSecurity: 'on' | 'off';
  grpcClientTokenFile?: string;
  grpcClientCaFile?: string;
  grpcClientCertFile?: string;
  grpcClientKeyFile?: string;
  grpcClientServerName?: string;
}

interface WarnLog {
  warn(obj: object, msg?: string): void;
}

/** Reads files, collecting a problem per variable that is unset or unreadable. */
class FileReader {
  readonly problems: ConfigProblem[] = [];

  read(env: string, path: string | undefined, required: boolean): Buffer | undefined {
    if (path === undefined) {
      if (required) this.problems.push({ env, reason: 'missing', expected: 'a readable file (required when GRPC_SECURITY=on)' });
      return undefined;
    }
    try {
      return readFileSync(path);
    } catch (err) {
      this.problems.push({ env, reason: 'invalid', value: JSON.stringify(path), expected: `a readable file (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})` });
      return undefined;
    }
  }

  failIfAny(service: string): void {
    if (this.problems.length > 0) throw new ConfigError(service, this.problems);
  }
}

/** The server side: TLS material and the callers allowed; `insecure` (with a warning) when GRPC_SECURITY=off. */
export function grpcServerSecurity(service: string, config: GrpcServerSecuritySettings, log: WarnLog): GrpcServerSecurity {
  if (config.grpcSecurity === 'off') {
    log.warn({ code: GRPC_SECURITY_CODES.securityOff }, 'GRPC_SECURITY=off: gRPC is plaintext and any caller is served; development only');
    return { mode: 'insecure' };
  }
  const files = new FileReader();
  const cert = files.read('GRPC_TLS_CERT_FILE', config.grpcTlsCertFile, true);
  const key = files.read('GRPC_TLS_KEY_FILE', config.grpcTlsKeyFile, true);
  const clientCa = files.read('GRPC_TLS_CLIENT_CA_FILE', config.grpcTlsClientCaFile, false);
  const callersText = files.read('GRPC_CALLERS_FILE', config.grpcCallersFile, true);
  const parsed = callersText ? parseCallers(callersText.toString('utf8')) : undefined;
  if (parsed && parsed.problems.length > 0) {
    files.problems.push({ env: 'GRPC_CALLERS_FILE', reason: 'invalid', value: JSON.stringify(config.grpcCallersFile), expected: `id:sha256 lines: ${parsed.problems.join('; ')}` });
  }
  files.failIfAny(service);
  return { mode: 'secure', tls: { cert: cert!, key: key!, ...(clientCa ? { clientCa } : {}) }, callers: parsed!.callers };
}

/** The client side: the CA to trust, this service's token, and a client certificate for mutual TLS. */
export function grpcClientSecurity(service: string, config: GrpcClientSecuritySettings): GrpcClientSecurity {
  if (config.grpcSecurity === 'off') return { mode: 'insecure' };
  const files = new FileReader();
  const ca = files.read('GRPC_CLIENT_CA_FILE', config.grpcClientCaFile, true);
  const token = files.read('GRPC_CLIENT_TOKEN_FILE', config.grpcClientTokenFile, true)?.toString('utf8').trim();
  const cert = files.read('GRPC_CLIENT_CERT_FILE', config.grpcClientCertFile, config.grpcClientKeyFile !== undefined);
  const key = files.read('GRPC_CLIENT_KEY_FILE', config.grpcClientKeyFile, config.grpcClientCertFile !== undefined);
  if (token === '') files.problems.push({ env: 'GRPC_CLIENT_TOKEN_FILE', reason: 'invalid', value: JSON.stringify(config.grpcClientTokenFile), expected: 'a file holding a token' });
  files.failIfAny(service);
  return {
    mode: 'secure', ca: ca!, token: token!,
    ...(cert && key ? { cert, key } : {}),
    ...(config.grpcClientServerName ? { serverName: config.grpcClientServerName } : {}),
  };
}
