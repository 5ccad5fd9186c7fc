// gRPC security variables (issue 15 §2, docs/security-grpc.md). Paths only: certificates, keys
// and tokens are read at start by @inviteflow/platform, never printed nor logged. The checks that
// need more than one variable (GRPC_SECURITY=on needs the certificate, key and callers) are
// made there too, as a ConfigError naming every missing variable.
import { z } from 'zod';
import { envVar } from './config.schema';

const filePath = z.string().min(1).optional();

/** Served by every gRPC server; spread into grpcServerConfig. */
export const grpcServerSecurityConfig = {
  grpcSecurity: envVar('GRPC_SECURITY', z.enum(['on', 'off']), {
    default: 'on',
    doc: 'on: TLS and a caller token checked on every call (grpc.health.v1 stays open), and this service\'s own calls to other services use TLS and its token. off: plaintext and no caller check, logged as a warning at start; development only.',
    expected: 'on or off',
  }),
  grpcTlsCertFile: envVar('GRPC_TLS_CERT_FILE', filePath, {
    doc: 'Server certificate chain (PEM); required when GRPC_SECURITY=on.', expected: 'a file path',
  }),
  grpcTlsKeyFile: envVar('GRPC_TLS_KEY_FILE', filePath, {
    doc: 'Private key (PEM) of GRPC_TLS_CERT_FILE; required when GRPC_SECURITY=on.', expected: 'a file path',
  }),
  grpcTlsClientCaFile: envVar('GRPC_TLS_CLIENT_CA_FILE', filePath, {
    doc: 'CA bundle (PEM): when set, mutual TLS: a client must show a certificate this CA signed before any call (the caller token is still checked).',
    expected: 'a file path',
  }),
  grpcCallersFile: envVar('GRPC_CALLERS_FILE', filePath, {
    doc: 'Who may call this service: one `caller-id:<SHA-256 hex of its token>` per line (# comments allowed); required when GRPC_SECURITY=on. Read once at start.',
    expected: 'a file path',
  }),
};

/** For a service that calls other services over gRPC; GRPC_SECURITY (above) switches it too. */
export const grpcClientSecurityConfig = {
  grpcClientTokenFile: envVar('GRPC_CLIENT_TOKEN_FILE', filePath, {
    doc: 'File holding this service\'s own caller token, sent as "authorization: Bearer" on its gRPC calls; required when GRPC_SECURITY=on.',
    expected: 'a file path',
  }),
  grpcClientCaFile: envVar('GRPC_CLIENT_CA_FILE', filePath, {
    doc: 'CA bundle (PEM) that signed the called services\' certificates; required when GRPC_SECURITY=on.', expected: 'a file path',
  }),
  grpcClientCertFile: envVar('GRPC_CLIENT_CERT_FILE', filePath, {
    doc: 'Client certificate (PEM) shown to services that require mutual TLS; with GRPC_CLIENT_KEY_FILE.', expected: 'a file path',
  }),
  grpcClientKeyFile: envVar('GRPC_CLIENT_KEY_FILE', filePath, {
    doc: 'Private key (PEM) of GRPC_CLIENT_CERT_FILE.', expected: 'a file path',
  }),
  grpcClientServerName: envVar('GRPC_CLIENT_SERVER_NAME', z.string().min(1).optional(), {
    doc: 'Name checked against the called services\' certificates instead of the address\'s host (one certificate for several services).',
    expected: 'a DNS name',
  }),
};
