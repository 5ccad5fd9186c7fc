import { readFileSync } from 'node:fs';
import { Client, credentials, makeClientConstructor, ServiceError, status } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { identityV1 } from '@inviteflow/proto-gen';
import type { RunningService } from '@inviteflow/platform';
import { callUnary, clientChannelOptions, clientCredentials, reasonOf } from '@inviteflow/rpc';
import { startInProcess, TEST_GRPC_SERVER_NAME, TEST_GRPC_STRANGER, testGrpcSecurity } from '@inviteflow/testing';
import { identityConfig } from '../src/config';
import { start } from '../src/start';
const { ResolutionKind, MatchedBy, ImportOutcome } = identityV1;

describe('IdentityService over gRPC', () => {
  let service: RunningService;
  let client: identityV1.IdentityServiceClient;
  const server = { get port() { return service.ports['grpc']!; } };

  beforeAll(async () => {
    // The real service, started in-process as main.ts starts it; contoso.onmicrosoft.com is an
    // alias domain of contoso.com, as in the use-case tests' TEST_POLICIES.
    service = await startInProcess({ service: 'identity', schema: identityConfig, start }, {
      ADDRESS_POLICIES: JSON.stringify({ 'contoso.onmicrosoft.com': { aliasOf: 'contoso.com' } }),
    });
    const cli = testGrpcSecurity().client('cli');
    client = new identityV1.IdentityServiceClient(`127.0.0.1:${server.port}`, clientCredentials(cli), clientChannelOptions(`127.0.0.1:${server.port}`, cli));
  });

  afterAll(async () => {
    client.close();
    const stopped = await service.stop();
    expect(stopped.outcome).toBe('completed');
  });

  /** The gRPC status and reason code a call failed with. */
  async function failure(call: Promise<unknown>): Promise<{ code: number; reason: string | undefined; details: string }> {
    const err = (await call.then(() => { throw new Error('expected the call to fail'); }, (e: unknown) => e)) as ServiceError;
    return { code: err.code, reason: reasonOf(err), details: err.details };
  }

  const upsert = (a: Partial<identityV1.Associate>) =>
    callUnary<identityV1.UpsertAssociateResponse>((md, o, cb) => client.upsertAssociate({ associate: identityV1.Associate.fromPartial(a) }, md, o, cb), 2000);

  test('When the server runs, then grpc.health.v1 answers SERVING for the identity service, over TLS without a caller token', async () => {
    const Health = makeClientConstructor(healthService, 'grpc.health.v1.Health');
    const health = new Health(`127.0.0.1:${server.port}`, credentials.createSsl(readFileSync(testGrpcSecurity().pki.caFile)), { 'grpc.ssl_target_name_override': TEST_GRPC_SERVER_NAME }) as unknown as Client & {
      check(req: object, md: object, opts: object, cb: (e: ServiceError | null, r: { status: string }) => void): void;
    };
    const res = await callUnary<{ status: string }>((md, o, cb) => health.check({ service: 'inviteflow.identity.v1.IdentityService' }, md, o, cb), 2000);
    health.close();
    expect(String(res.status)).toBe('SERVING');
  });

  test.each([
    ['no caller token', () => credentials.createSsl(readFileSync(testGrpcSecurity().pki.caFile))],
    ['a token identity does not list', () => clientCredentials(testGrpcSecurity().client(TEST_GRPC_STRANGER))],
  ])('When a call comes with %s, then identity refuses it UNAUTHENTICATED and answers nothing (issue 15)', async (_what, creds) => {
    const stranger = new identityV1.IdentityServiceClient(`127.0.0.1:${server.port}`, creds(), { 'grpc.ssl_target_name_override': TEST_GRPC_SERVER_NAME });
    try {
      const refused = await failure(callUnary((md, o, cb) => stranger.resolveAddresses({ addresses: ['grace@contoso.com'] }, md, o, cb), 2000));
      expect(refused).toMatchObject({ code: status.UNAUTHENTICATED, reason: 'GRPC_UNAUTHENTICATED' });
    } finally {
      stranger.close();
    }
  });

  test('When a plaintext client calls identity, then the call fails: identity speaks TLS only (issue 15)', async () => {
    const plain = new identityV1.IdentityServiceClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
    try {
      expect(await failure(callUnary((md, o, cb) => plain.resolveAddresses({ addresses: ['grace@contoso.com'] }, md, o, cb), 2000))).toMatchObject({ code: status.UNAVAILABLE });
    } finally {
      plain.close();
    }
  });

  test('When addresses are resolved, then each result says what it is, how it matched and under which key', async () => {
    // Arrange
    await upsert({ name: 'Grace', primaryAddress: 'grace@contoso.com', aliases: ['g.hopper@contoso.com'] });
    // Act
    const res = await callUnary<identityV1.ResolveAddressesResponse>((md, o, cb) => client.resolveAddresses({ addresses: ['grace+x@contoso.onmicrosoft.com', 'G.Hopper@contoso.com', 'bad', 'who@contoso.com'] }, md, o, cb), 2000);
    // Assert
    expect(res.results.map((r) => [r.kind, r.matchedBy, r.canonicalAddress])).toEqual([
      [ResolutionKind.RESOLUTION_KIND_ASSOCIATE, MatchedBy.MATCHED_BY_POLICY, 'grace@contoso.com'],
      [ResolutionKind.RESOLUTION_KIND_ASSOCIATE, MatchedBy.MATCHED_BY_ALIAS, 'g.hopper@contoso.com'],
      [ResolutionKind.RESOLUTION_KIND_UNKNOWN, MatchedBy.MATCHED_BY_UNSPECIFIED, ''],
      [ResolutionKind.RESOLUTION_KIND_UNKNOWN, MatchedBy.MATCHED_BY_UNSPECIFIED, 'who@contoso.com'],
    ]);
    expect(res.results[0]!.policies).toEqual(['domain-alias', 'subaddress']);
    expect(res.results[2]!.invalidReason).toMatch(/not a valid email address/);
  });

  test.each([
    ['an invalid address', () => upsert({ name: 'X', primaryAddress: 'nope' }), status.INVALID_ARGUMENT, 'INVALID_ADDRESS', /^primary_address: /],
    ['an address someone else holds', () => upsert({ name: 'Y', primaryAddress: 'y@contoso.com', aliases: ['grace@contoso.com'] }), status.ALREADY_EXISTS, 'ADDRESS_TAKEN', /^aliases\[0\]: grace@contoso.com already belongs/],
    ['an unknown owner', () => callUnary((md, o, cb) => client.addAlias({ owner: 'ghost@contoso.com', alias: 'a@contoso.com' }, md, o, cb), 2000), status.NOT_FOUND, 'OWNER_NOT_FOUND', /ghost@contoso.com/],
    ['a primary address as alias', () => callUnary((md, o, cb) => client.removeAlias({ alias: 'grace@contoso.com', owner: '' }, md, o, cb), 2000), status.FAILED_PRECONDITION, 'PRIMARY_ADDRESS_NOT_REMOVABLE', /primary address/],
    ['an unknown person', () => callUnary((md, o, cb) => client.getPerson({ id: 'nobody' }, md, o, cb), 2000), status.NOT_FOUND, 'PERSON_NOT_FOUND', /nobody/],
    ['a batch too large', () => callUnary((md, o, cb) => client.resolveAddresses({ addresses: Array(1001).fill('a@b.example') }, md, o, cb), 2000), status.INVALID_ARGUMENT, 'BATCH_TOO_LARGE', /at most 1000/],
  ])('When a call carries %s, then it fails with a precise status and reason', async (_what, call, code, reason, details) => {
    await upsert({ name: 'Grace', primaryAddress: 'grace@contoso.com', aliases: ['g.hopper@contoso.com'] });
    expect(await failure(call())).toEqual({ code, reason, details: expect.stringMatching(details) });
  });

  test('When an import cannot finish before the deadline, then the server stops in time and reports the rows it did not reach', async () => {
    // Arrange: more rows than fit into the deadline (≈1 400 rows/s on the stand-in). The server
    // stops a fifth of the budget early, and that fifth must cover encoding and sending thousands
    // of NOT_ATTEMPTED results on a busy machine (client and server share this Jest worker): a
    // 1.5 s deadline (0.3 s margin) was too thin there. Nothing here asserts how long it took.
    const total = 12_000;
    const rows = Array.from({ length: total }, (_, i) => ({ ref: `persons[${i}]`, person: { id: '', name: `P${i}`, company: 'Load', addresses: [`p${i}@load.example`] } }));
    // Act
    const res = await callUnary<identityV1.ImportDirectoryResponse>((md, o, cb) => client.importDirectory(identityV1.ImportDirectoryRequest.fromPartial({ rows }), md, o, cb), 6000);
    // Assert
    expect(res.complete).toBe(false);
    const notAttempted = res.results.filter((r) => r.outcome === ImportOutcome.IMPORT_OUTCOME_NOT_ATTEMPTED);
    expect(notAttempted.length).toBeGreaterThan(0);
    expect(notAttempted[0]!.reason).toBe('DEADLINE_EXCEEDED');
    expect(res.results).toHaveLength(total);
    expect(res.results.filter((r) => r.outcome === ImportOutcome.IMPORT_OUTCOME_CREATED).length + notAttempted.length).toBe(total);
  }, 30_000);

  test('When unresolved addresses are noted over gRPC, then they are listed with counts and suggestions', async () => {
    await upsert({ name: 'Grace Hopper', primaryAddress: 'grace@contoso.com' });
    const noted = await callUnary<identityV1.NoteUnresolvedResponse>((md, o, cb) => client.noteUnresolved({ sightings: [{ address: 'grace.hopper@contoso.com', displayName: 'Grace Hopper', mailId: 'm1', seenAt: new Date('2026-03-01T00:00:00Z') }] }, md, o, cb), 2000);
    const list = await callUnary<identityV1.ListUnresolvedResponse>((md, o, cb) => client.listUnresolved({ limit: 0, includeResolved: false }, md, o, cb), 2000);
    expect(noted.recorded).toBe(1);
    expect(list.addresses[0]).toMatchObject({ address: 'grace.hopper@contoso.com', count: 1, firstSeen: new Date('2026-03-01T00:00:00Z') });
    expect(list.addresses[0]!.suggestions[0]).toMatchObject({ associate: { primaryAddress: 'grace@contoso.com' }, reason: expect.stringMatching(/display name/) });
  });
});
