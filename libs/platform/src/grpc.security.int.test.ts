import { join } from 'node:path';
import { ConfigError } from '@inviteflow/runtime';
import { grpcClientSecurity, grpcServerSecurity } from './grpc.security';

const nowhere = join(__dirname, 'no-such-dir', 'missing.pem');

describe('gRPC security from configuration', () => {
  test('When GRPC_SECURITY=off, then the server is plaintext and a warning says it is for development only', () => {
    const warnings: object[] = [];
    const security = grpcServerSecurity('identity', { grpcSecurity: 'off' }, { warn: (o) => warnings.push(o) });
    expect(security).toEqual({ mode: 'insecure' });
    expect(warnings).toEqual([{ code: 'GRPC_SECURITY_OFF' }]);
    expect(grpcClientSecurity('appointment', { grpcSecurity: 'off' })).toEqual({ mode: 'insecure' });
  });

  test('When GRPC_SECURITY=on and the files are not set, then one ConfigError names every missing variable', () => {
    const boot = () => grpcServerSecurity('identity', { grpcSecurity: 'on' }, { warn: () => undefined });
    expect(boot).toThrow(ConfigError);
    expect(() => boot()).toThrow(/GRPC_TLS_CERT_FILE.*GRPC_TLS_KEY_FILE.*GRPC_CALLERS_FILE/);
    expect(() => grpcClientSecurity('appointment', { grpcSecurity: 'on' })).toThrow(/GRPC_CLIENT_CA_FILE.*GRPC_CLIENT_TOKEN_FILE/);
  });

  test('When a file cannot be read, then the error names the variable and the path, and why', () => {
    const boot = () => grpcServerSecurity('identity', { grpcSecurity: 'on', grpcTlsCertFile: nowhere, grpcTlsKeyFile: nowhere, grpcCallersFile: nowhere }, { warn: () => undefined });
    expect(boot).toThrow(/GRPC_CALLERS_FILE=.*missing\.pem.*ENOENT/);
  });
});
