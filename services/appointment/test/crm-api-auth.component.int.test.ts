// Issue 15 §2: the CRM-facing API (AppointmentService) over TLS, mutual TLS switched on through
// its config (GRPC_TLS_CLIENT_CA_FILE), and a caller token checked on every call. The real
// service in-process; a fake identity behind it (a service may not import another).
import { readFileSync } from 'node:fs';
import { ChannelCredentials, credentials, ServiceError, status } from '@grpc/grpc-js';
import type { ProvisionedInfra } from '@inviteflow/infra';
import type { RunningService } from '@inviteflow/platform';
import { appointmentV1 } from '@inviteflow/proto-gen';
import { callUnary, clientCredentials, reasonOf, RunningGrpcServer } from '@inviteflow/rpc';
import { startInProcess, startPrivateNats, TEST_GRPC_SERVER_NAME, TEST_GRPC_STRANGER, testGrpcSecurity } from '@inviteflow/testing';
import { appointmentConfig } from '../src/config';
import { start } from '../src/start';
import { FakeIdentity } from './fake-identity';
import { startFakeIdentityServer } from './fake-identity.server';

describe('the CRM-facing API refuses callers without a credential (issue 15)', () => {
  let infra: ProvisionedInfra;
  let identityServer: RunningGrpcServer;
  let service: RunningService;

  beforeAll(async () => {
    infra = await startPrivateNats('appt-auth');
    const directory = new FakeIdentity();
    directory.holders.set('john@contoso.com', 'JOHN-ID');
    identityServer = await startFakeIdentityServer(directory);
    service = await startInProcess({ service: 'appointment', schema: appointmentConfig, start }, {
      NATS_URL: infra.natsUrl, IDENTITY_GRPC_ADDR: `127.0.0.1:${identityServer.port}`, OUR_DOMAINS: 'contoso.com',
      GRPC_TLS_CLIENT_CA_FILE: testGrpcSecurity().pki.caFile,
    });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await identityServer?.shutdown(1000);
    await infra?.stop();
  });

  /** ListDiary as a CRM would call it, with the given channel credentials; resolves with the error, if any. */
  async function listDiary(creds: ChannelCredentials): Promise<ServiceError | appointmentV1.ListDiaryResponse> {
    const client = new appointmentV1.AppointmentServiceClient(`127.0.0.1:${service.ports['grpc']}`, creds, { 'grpc.ssl_target_name_override': TEST_GRPC_SERVER_NAME });
    try {
      return await callUnary<appointmentV1.ListDiaryResponse>((md, o, cb) => client.listDiary({ associate: 'JOHN-ID' }, md, o, cb), 5000);
    } catch (err) {
      return err as ServiceError;
    } finally {
      client.close();
    }
  }

  const pem = (file: string): Buffer => readFileSync(file);
  const pki = () => testGrpcSecurity().pki;

  test('When the CRM shows the CA\'s client certificate and a listed token, then ListDiary answers', async () => {
    const res = await listDiary(clientCredentials(testGrpcSecurity().client('cli', { mutualTls: true })));
    expect(res).toMatchObject({ entries: [] });
  });

  test('When a call has the client certificate but no token, then it is refused UNAUTHENTICATED', async () => {
    const err = await listDiary(credentials.createSsl(pem(pki().caFile), pem(pki().clientKeyFile), pem(pki().clientCertFile)));
    expect(err).toMatchObject({ code: status.UNAUTHENTICATED });
    expect(reasonOf(err)).toBe('GRPC_UNAUTHENTICATED');
  });

  test('When a call has the client certificate and a token appointment does not list, then it is refused UNAUTHENTICATED', async () => {
    const err = await listDiary(clientCredentials(testGrpcSecurity().client(TEST_GRPC_STRANGER, { mutualTls: true })));
    expect(err).toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringContaining('not accepted') });
  });

  test('When a call has a listed token but no client certificate, then the TLS handshake fails and nothing is answered', async () => {
    const err = await listDiary(clientCredentials(testGrpcSecurity().client('cli', { mutualTls: false })));
    expect(err).toMatchObject({ code: status.UNAVAILABLE });
  });

  test('When a plaintext client calls, then the call fails', async () => {
    const err = await listDiary(credentials.createInsecure());
    expect(err).toMatchObject({ code: status.UNAVAILABLE });
  });
});
