import { makeClientConstructor, status, ServiceError, Client } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { identityV1 } from '@inviteflow/proto-gen';
import { testGrpcSecurity } from '@inviteflow/infra';
import { callUnary, channelOptions, clientChannelOptions, clientCredentials, reasonOf, startGrpcServer, unaryHandler, RunningGrpcServer } from './index';

// Security on, as everywhere in the suite: TLS, and the caller token of `test`.
const secure = () => clientCredentials(testGrpcSecurity().client('test'));
/**
 * The test caller's credentials and channel options, from one read of its security: TLS checks
 * the test certificate by its name, not the IP (TEST_GRPC_SERVER_NAME).
 */
function asTestCaller(target: string): [ReturnType<typeof clientCredentials>, ReturnType<typeof clientChannelOptions>] {
  const caller = testGrpcSecurity().client('test');
  return [clientCredentials(caller), clientChannelOptions(target, caller)];
}

const silent = { error: () => undefined, debug: () => undefined };
const HealthClient = makeClientConstructor(healthService, 'grpc.health.v1.Health');

function healthCheck(port: number, serviceName: string): Promise<string> {
  const client = new HealthClient(`127.0.0.1:${port}`, ...asTestCaller(`127.0.0.1:${port}`)) as unknown as Client & {
    check(req: object, md: object, opts: object, cb: (e: ServiceError | null, r: { status: string }) => void): void;
  };
  return callUnary<{ status: string }>((md, o, cb) => client.check({ service: serviceName }, md, o, cb), 2000)
    .then((r) => String(r.status))
    .finally(() => client.close());
}

describe('gRPC server and client helpers', () => {
  let server: RunningGrpcServer;
  let client: identityV1.IdentityServiceClient;

  beforeAll(async () => {
    // A small implementation of part of the identity contract, only to exercise the transport
    // (grpc-js answers UNIMPLEMENTED for the methods left out).
    const impl: Partial<identityV1.IdentityServiceServer> = {
      resolveAddresses: unaryHandler(silent, 'resolve', async (req: identityV1.ResolveAddressesRequest) => {
        if (req.addresses.includes('slow@example.com')) await new Promise((r) => setTimeout(r, 500));
        return { results: req.addresses.map((a) => ({ ...identityV1.Resolution.fromPartial({ address: a }) })) };
      }),
      upsertAssociate: unaryHandler(silent, 'upsert', async () => {
        throw Object.assign(new Error('address john@example.com belongs to someone else'), { code: 'ADDRESS_TAKEN' });
      }),
      upsertPerson: unaryHandler(silent, 'person', async () => {
        throw new Error('boom');
      }),
      addAlias: unaryHandler(silent, "alias", async (): Promise<identityV1.AddAliasResponse> => identityV1.AddAliasResponse.fromPartial({})),
    };
    server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      services: [{ name: 'inviteflow.identity.v1.IdentityService', definition: identityV1.IdentityServiceService, implementation: impl as identityV1.IdentityServiceServer }],
      security: testGrpcSecurity().server(),
    });
    client = new identityV1.IdentityServiceClient(`127.0.0.1:${server.port}`, ...asTestCaller(`127.0.0.1:${server.port}`));
  });

  afterAll(async () => {
    client.close();
    await server.shutdown(1000);
  });

  test('When the server runs, then grpc.health.v1 reports SERVING for it and for the whole server', async () => {
    expect(server.port).toBeGreaterThan(0);
    await expect(healthCheck(server.port, '')).resolves.toBe('SERVING');
    await expect(healthCheck(server.port, 'inviteflow.identity.v1.IdentityService')).resolves.toBe('SERVING');
  });

  test('When readiness is lost and regained, then grpc.health.v1 follows it', async () => {
    server.setServing(false);
    await expect(healthCheck(server.port, '')).resolves.toBe('NOT_SERVING');
    await expect(healthCheck(server.port, 'inviteflow.identity.v1.IdentityService')).resolves.toBe('NOT_SERVING');
    server.setServing(true);
    await expect(healthCheck(server.port, '')).resolves.toBe('SERVING');
  });

  test('When a handler throws a coded error, then the client gets its gRPC status and stable reason', async () => {
    const call = callUnary((md, o, cb) => client.upsertAssociate({ associate: undefined }, md, o, cb), 2000);
    await expect(call).rejects.toMatchObject({ code: status.ALREADY_EXISTS });
    expect(reasonOf(await call.catch((e: unknown) => e))).toBe('ADDRESS_TAKEN');
  });

  test('When a handler fails unexpectedly, then the status is INTERNAL', async () => {
    const call = callUnary((md, o, cb) => client.upsertPerson({ person: undefined }, md, o, cb), 2000);
    await expect(call).rejects.toMatchObject({ code: status.INTERNAL });
  });

  test('When a call outlives its deadline, then it fails with DEADLINE_EXCEEDED', async () => {
    const call = callUnary((md, o, cb) => client.resolveAddresses({ addresses: ['slow@example.com'] }, md, o, cb), 100);
    await expect(call).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
  });

  test('When the target is dns:///host:port, then calls go through a round_robin channel and succeed', async () => {
    const balanced = new identityV1.IdentityServiceClient(`dns:///localhost:${server.port}`, secure(), channelOptions(`dns:///localhost:${server.port}`));
    try {
      const res = await callUnary<identityV1.ResolveAddressesResponse>((md, o, cb) => balanced.resolveAddresses({ addresses: ['a@x.com'] }, md, o, cb), 2000);
      expect(res.results.map((r) => r.address)).toEqual(['a@x.com']);
      expect(channelOptions('127.0.0.1:50051')).toEqual({});
    } finally {
      balanced.close();
    }
  });

  test('When a batch is resolved, then results come back in request order', async () => {
    const res = await callUnary<identityV1.ResolveAddressesResponse>(
      (md, o, cb) => client.resolveAddresses({ addresses: ['a@x.com', 'b@x.com'] }, md, o, cb), 2000);
    expect(res.results.map((r) => r.address)).toEqual(['a@x.com', 'b@x.com']);
  });
});
