import { readFileSync } from 'node:fs';
import { Client, credentials, makeClientConstructor, ServiceError, status } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { identityV1 } from '@inviteflow/proto-gen';
import { TEST_GRPC_SERVER_NAME, TEST_GRPC_STRANGER, testGrpcSecurity } from '@inviteflow/infra';
import { callUnary, clientCredentials, GrpcClientSecurity, reasonOf, RunningGrpcServer, startGrpcServer, unaryHandler } from './index';

const silent = { error: () => undefined, debug: () => undefined };
/** The certificate's name, not the IP, as the server name (clientChannelOptions does this for a configured serverName). */
const byName = { 'grpc.ssl_target_name_override': TEST_GRPC_SERVER_NAME };
const HealthClient = makeClientConstructor(healthService, 'grpc.health.v1.Health');
type HealthStub = Client & { check(req: object, md: object, opts: object, cb: (e: ServiceError | null, r: { status: string }) => void): void };

/** A server holding part of the identity contract; counts the calls that reached the handler. */
async function startServer(mutualTls: boolean): Promise<{ server: RunningGrpcServer; handled: () => number; refused: object[] }> {
  let handled = 0;
  const refused: object[] = [];
  const impl: Partial<identityV1.IdentityServiceServer> = {
    resolveAddresses: unaryHandler(silent, 'resolve', async (req: identityV1.ResolveAddressesRequest) => {
      handled++;
      return { results: req.addresses.map((a) => identityV1.Resolution.fromPartial({ address: a })) };
    }),
  };
  const server = await startGrpcServer({
    host: '127.0.0.1', port: 0, security: testGrpcSecurity().server({ mutualTls }), log: { warn: (o) => refused.push(o) },
    services: [{ name: 'inviteflow.identity.v1.IdentityService', definition: identityV1.IdentityServiceService, implementation: impl as identityV1.IdentityServiceServer }],
  });
  return { server, handled: () => handled, refused };
}

function resolve(port: number, creds: ReturnType<typeof credentials.createInsecure>): Promise<identityV1.ResolveAddressesResponse> {
  const client = new identityV1.IdentityServiceClient(`127.0.0.1:${port}`, creds, byName);
  return callUnary<identityV1.ResolveAddressesResponse>((md, o, cb) => client.resolveAddresses({ addresses: ['a@x.com'] }, md, o, cb), 3000)
    .finally(() => client.close());
}

function health(port: number, creds: ReturnType<typeof credentials.createInsecure>): Promise<string> {
  const client = new HealthClient(`127.0.0.1:${port}`, creds, byName) as unknown as HealthStub;
  return callUnary<{ status: string }>((md, o, cb) => client.check({ service: '' }, md, o, cb), 3000)
    .then((r) => String(r.status))
    .finally(() => client.close());
}

/** TLS that trusts the test CA but carries no caller token. */
const tlsOnly = (): ReturnType<typeof credentials.createSsl> => credentials.createSsl(readFileSync(testGrpcSecurity().pki.caFile));

describe('gRPC security: TLS and caller tokens (issue 15 §2)', () => {
  describe('Given a server with TLS and a callers list', () => {
    let s: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      s = await startServer(false);
    });
    afterAll(() => s.server.shutdown(1000));

    test('When a call carries the token of a listed caller, then it is served', async () => {
      const res = await resolve(s.server.port, clientCredentials(testGrpcSecurity().client('test', { mutualTls: false })));
      expect(res.results.map((r) => r.address)).toEqual(['a@x.com']);
    });

    test('When a call carries no token, then it is refused UNAUTHENTICATED before the handler runs', async () => {
      const before = s.handled();
      const err = await resolve(s.server.port, tlsOnly()).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringContaining('no caller credential') });
      expect(reasonOf(err)).toBe('GRPC_UNAUTHENTICATED');
      expect(s.handled()).toBe(before);
      expect(s.refused.at(-1)).toMatchObject({ code: 'GRPC_UNAUTHENTICATED', method: '/inviteflow.identity.v1.IdentityService/ResolveAddresses' });
    });

    test('When a call carries a token the server does not list, then it is refused and the token is not logged', async () => {
      const stranger = testGrpcSecurity().client(TEST_GRPC_STRANGER, { mutualTls: false });
      const err = await resolve(s.server.port, clientCredentials(stranger)).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringContaining('not accepted') });
      expect(JSON.stringify(s.refused)).not.toContain(testGrpcSecurity().token(TEST_GRPC_STRANGER));
    });

    test('When a plaintext client calls, then the call fails: the server speaks TLS only', async () => {
      await expect(resolve(s.server.port, credentials.createInsecure())).rejects.toMatchObject({ code: status.UNAVAILABLE });
      await expect(health(s.server.port, credentials.createInsecure())).rejects.toMatchObject({ code: status.UNAVAILABLE });
    });

    test('When grpc.health.v1 is asked over TLS without a token, then it answers: health stays open', async () => {
      await expect(health(s.server.port, tlsOnly())).resolves.toBe('SERVING');
    });
  });

  describe('Given a server that requires mutual TLS', () => {
    let s: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      s = await startServer(true);
    });
    afterAll(() => s.server.shutdown(1000));

    test('When a client shows a certificate of the CA and a listed token, then it is served', async () => {
      const res = await resolve(s.server.port, clientCredentials(testGrpcSecurity().client('test', { mutualTls: true })));
      expect(res.results).toHaveLength(1);
    });

    test('When a client has a listed token but no certificate, then the connection is refused', async () => {
      const before = s.handled();
      await expect(resolve(s.server.port, clientCredentials(testGrpcSecurity().client('test', { mutualTls: false }))))
        .rejects.toMatchObject({ code: status.UNAVAILABLE });
      expect(s.handled()).toBe(before);
    });

    test('When a client has a certificate but no token, then the call is refused UNAUTHENTICATED', async () => {
      const sec = testGrpcSecurity().client('test', { mutualTls: true }) as Extract<GrpcClientSecurity, { mode: 'secure' }>;
      const err = await resolve(s.server.port, credentials.createSsl(sec.ca, sec.key, sec.cert)).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: status.UNAUTHENTICATED });
    });
  });
});
