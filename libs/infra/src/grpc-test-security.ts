// gRPC security for tests (issue 15: "the full test suite runs with security on"). One
// throw-away CA, server and client certificates and caller tokens per Jest worker, made at first
// use (a few RSA keys, well under a second) in a temporary directory removed at exit.
// libs/testing's startInProcess gives every service these by default; tests build clients and
// servers from them. Here rather than in libs/testing: libs/rpc's own tests use it, and rpc may
// not depend on libs/testing (testing → platform → rpc).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateGrpcPki, type GrpcPki } from './grpc-pki';

// The shapes libs/rpc's startGrpcServer and clientCredentials take (GrpcServerSecurity,
// GrpcClientSecurity), spelled out: libs/infra may not import rpc (rpc's tests import this file).
export interface TestServerSecurity {
  mode: 'secure';
  tls: { cert: Buffer; key: Buffer; clientCa?: Buffer };
  callers: { id: string; tokenHash: Buffer }[];
}
export interface TestClientSecurity {
  mode: 'secure';
  ca: Buffer;
  token: string;
  cert?: Buffer;
  key?: Buffer;
  /** The name the server's certificate is checked against (pass clientChannelOptions to use it). */
  serverName: string;
}

/**
 * Callers every test server accepts, and `stranger`, whose token is real but listed only for
 * `nobody`: a well-formed token the servers do not know.
 */
export const TEST_GRPC_CALLERS = ['test', 'cli', 'appointment', 'outbound-mail', 'ingest'] as const;
export const TEST_GRPC_STRANGER = 'stranger';

/**
 * The DNS name in the test server certificate, which clients check it against, as the local
 * cluster does: servers listen on 127.0.0.1, and TLS may not send an IP address as the server
 * name (RFC 6066 §3; Node warns DEP0123 when asked to).
 */
export const TEST_GRPC_SERVER_NAME = 'localhost';

export interface TestGrpcSecurity {
  readonly pki: GrpcPki;
  /** GRPC_* variables for a service: TLS, the shared callers file, and `caller`'s own token. */
  serviceEnv(caller: string, opts?: { mutualTls?: boolean }): Record<string, string>;
  /** What libs/rpc's startGrpcServer takes, for a hand-made server. */
  server(opts?: { mutualTls?: boolean }): TestServerSecurity;
  /** What libs/rpc's clientCredentials takes, as `caller` (with the client certificate when `mutualTls`). */
  client(caller?: string, opts?: { mutualTls?: boolean }): TestClientSecurity;
  token(caller: string): string;
}

let current: TestGrpcSecurity | undefined;

export function testGrpcSecurity(): TestGrpcSecurity {
  current ??= create();
  return current;
}

function create(): TestGrpcSecurity {
  const dir = mkdtempSync(join(tmpdir(), 'inviteflow-grpc-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const pki = generateGrpcPki(dir, { any: TEST_GRPC_CALLERS, nobody: [TEST_GRPC_STRANGER] });
  const read = (file: string): Buffer => readFileSync(file);
  const token = (caller: string): string => read(pki.tokenFile(caller)).toString('utf8').trim();
  return {
    pki,
    token,
    serviceEnv: (caller, opts = {}) => ({
      GRPC_SECURITY: 'on',
      GRPC_TLS_CERT_FILE: pki.serverCertFile,
      GRPC_TLS_KEY_FILE: pki.serverKeyFile,
      GRPC_CALLERS_FILE: pki.callersFile('any'),
      ...(opts.mutualTls ? { GRPC_TLS_CLIENT_CA_FILE: pki.caFile } : {}),
      GRPC_CLIENT_CA_FILE: pki.caFile,
      GRPC_CLIENT_TOKEN_FILE: pki.tokenFile(caller),
      GRPC_CLIENT_CERT_FILE: pki.clientCertFile,
      GRPC_CLIENT_KEY_FILE: pki.clientKeyFile,
      GRPC_CLIENT_SERVER_NAME: TEST_GRPC_SERVER_NAME,
    }),
    server: (opts = {}): TestServerSecurity => ({
      mode: 'secure',
      tls: { cert: read(pki.serverCertFile), key: read(pki.serverKeyFile), ...(opts.mutualTls ? { clientCa: read(pki.caFile) } : {}) },
      callers: TEST_GRPC_CALLERS.map((id) => ({ id, tokenHash: createHash('sha256').update(token(id), 'utf8').digest() })),
    }),
    client: (caller = 'test', opts = { mutualTls: true }): TestClientSecurity => ({
      mode: 'secure', ca: read(pki.caFile), token: token(caller), serverName: TEST_GRPC_SERVER_NAME,
      ...(opts.mutualTls ? { cert: read(pki.clientCertFile), key: read(pki.clientKeyFile) } : {}),
    }),
  };
}
