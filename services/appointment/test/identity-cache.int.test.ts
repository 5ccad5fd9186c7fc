import { eventsV1, identityV1 } from '@inviteflow/proto-gen';
import { RunningGrpcServer, startGrpcServer, unaryHandler } from '@inviteflow/rpc';
import { testGrpcSecurity } from '@inviteflow/testing';
import { ResolutionCache } from '../src/domain/resolution.cache';
import { IdentityClient, identityClient } from '../src/grpc/identity.client';
import { invalidateOnIdentityChanged } from '../src/handlers/identity-changed.handler';
import { FakeIdentity } from './fake-identity';

const silent = { error: () => undefined, debug: () => undefined };

describe('cached resolutions over gRPC', () => {
  let directory: FakeIdentity;
  let server: RunningGrpcServer;
  let client: IdentityClient;
  let cache: ResolutionCache;
  let calls: number;

  beforeEach(async () => {
    directory = new FakeIdentity();
    calls = 0;
    const impl: Partial<identityV1.IdentityServiceServer> = {
      resolveAddresses: unaryHandler(silent, 'ResolveAddresses', async (req: identityV1.ResolveAddressesRequest) => {
        calls++;
        return { results: await directory.resolveFresh(req.addresses) };
      }),
    };
    server = await startGrpcServer({
      host: '127.0.0.1', port: 0, security: testGrpcSecurity().server(),
      services: [{ name: 'inviteflow.identity.v1.IdentityService', definition: identityV1.IdentityServiceService, implementation: impl as identityV1.IdentityServiceServer }],
    });
    cache = new ResolutionCache(100, 60_000);
    client = identityClient(`127.0.0.1:${server.port}`, 2000, testGrpcSecurity().client('appointment'), cache);
  });

  afterEach(async () => {
    client.close();
    await server.shutdown(1000);
  });

  const ownerOf = async (address: string): Promise<string | undefined> => (await client.resolve([address]))[0]!.associate?.id;
  const identityChanged = (addresses: string[]): Uint8Array => eventsV1.IdentityChanged.encode({ addresses, entityId: 'x', change: 'alias.added' }).finish();

  test('When an alias moves from one associate to another, then after the identity.changed events no stale answer is given', async () => {
    // Arrange: team@ belongs to Alice, and that answer is cached
    directory.holders.set('team@contoso.com', 'ALICE');
    expect(await ownerOf('Team@contoso.com')).toBe('ALICE');
    expect(await ownerOf('team@contoso.com')).toBe('ALICE');
    expect(calls).toBe(1);
    // Act: identity removes the alias from Alice and gives it to Bob, publishing both changes
    directory.holders.set('team@contoso.com', 'BOB');
    const invalidate = invalidateOnIdentityChanged(cache);
    const staleBeforeEvent = await ownerOf('team@contoso.com');
    invalidate(identityChanged(['team@contoso.com']));
    invalidate(identityChanged(['team@contoso.com']));
    // Assert: the cache was in effect (the old answer until the event), and nothing stale after it
    expect(staleBeforeEvent).toBe('ALICE');
    expect(await ownerOf('Team@contoso.com')).toBe('BOB');
    expect(await ownerOf('team@contoso.com')).toBe('BOB');
    expect(calls).toBe(2);
  });

  test('When the event arrives while identity is answering, then the answer from before the move is not cached', async () => {
    // Arrange: identity answers slowly; the move and its event happen meanwhile
    directory.holders.set('team@contoso.com', 'ALICE');
    const slow = directory.resolveFresh.bind(directory);
    directory.resolveFresh = async (a) => {
      const answer = await slow(a);
      invalidateOnIdentityChanged(cache)(identityChanged(['team@contoso.com']));
      directory.holders.set('team@contoso.com', 'BOB');
      return answer;
    };
    // Act
    const during = await ownerOf('team@contoso.com');
    directory.resolveFresh = slow;
    // Assert
    expect(during).toBe('ALICE');
    expect(await ownerOf('team@contoso.com')).toBe('BOB');
  });
});
