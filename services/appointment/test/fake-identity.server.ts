import { identityV1 } from '@inviteflow/proto-gen';
import { RunningGrpcServer, startGrpcServer, unaryHandler } from '@inviteflow/rpc';
import { testGrpcSecurity } from '@inviteflow/testing';
import { FakeIdentity } from './fake-identity';

const silent = { error: () => undefined, debug: () => undefined };

/**
 * The identity service's gRPC surface over a FakeIdentity, for component tests of the real
 * appointment service (a service may not import another, so identity itself is not started).
 */
export async function startFakeIdentityServer(directory: FakeIdentity): Promise<RunningGrpcServer> {
  return startGrpcServer({
    host: '127.0.0.1', port: 0, security: testGrpcSecurity().server(),
    services: [{
      name: 'inviteflow.identity.v1.IdentityService', definition: identityV1.IdentityServiceService,
      implementation: {
        resolveAddresses: unaryHandler(silent, 'ResolveAddresses', async (req: identityV1.ResolveAddressesRequest) => ({ results: await directory.resolveFresh(req.addresses) })),
        noteUnresolved: unaryHandler(silent, 'NoteUnresolved', async () => ({})),
      } as Partial<identityV1.IdentityServiceServer> as identityV1.IdentityServiceServer,
    }],
  });
}
