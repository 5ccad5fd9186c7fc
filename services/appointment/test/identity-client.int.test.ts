import { identityV1 } from '@inviteflow/proto-gen';
import { RunningGrpcServer, startGrpcServer, unaryHandler } from '@inviteflow/rpc';
import { testGrpcSecurity } from '@inviteflow/testing';
import { identityClient } from '../src/grpc/identity.client';

const silent = { error: () => undefined, debug: () => undefined };

describe('how the appointment service classifies identity failures', () => {
  let server: RunningGrpcServer;

  beforeAll(async () => {
    const impl: Partial<identityV1.IdentityServiceServer> = {
      resolveAddresses: unaryHandler(silent, 'ResolveAddresses', async () => {
        throw Object.assign(new Error('at most 1000 addresses per call'), { code: 'BATCH_TOO_LARGE', grpcStatus: 3 });
      }),
    };
    server = await startGrpcServer({
      host: '127.0.0.1', port: 0, security: testGrpcSecurity().server(),
      services: [{ name: 'inviteflow.identity.v1.IdentityService', definition: identityV1.IdentityServiceService, implementation: impl as identityV1.IdentityServiceServer }],
    });
  });

  afterAll(async () => {
    await server.shutdown(1000);
  });

  test('When identity refuses the request, then the error is IDENTITY_REFUSED and not retryable', async () => {
    const client = identityClient(`127.0.0.1:${server.port}`, 2000, testGrpcSecurity().client('appointment'));
    try {
      await expect(client.resolveFresh(['a@contoso.com'])).rejects.toMatchObject({ code: 'IDENTITY_REFUSED', retryable: false });
    } finally {
      client.close();
    }
  });

  test('When identity does not answer, then the error is IDENTITY_UNAVAILABLE and retryable', async () => {
    const client = identityClient('127.0.0.1:1', 300, testGrpcSecurity().client('appointment'));
    try {
      await expect(client.resolveFresh(['a@contoso.com'])).rejects.toMatchObject({ code: 'IDENTITY_UNAVAILABLE', retryable: true });
    } finally {
      client.close();
    }
  });
});
