// The appointment service as main.ts runs it — `start(config)` in-process, its real consumer,
// repositories and gRPC server — fed through NATS like the parser feeds it. Only identity is a
// stand-in (a gRPC server over an in-memory directory): a service may not import another.
import { SUBJECTS } from '@inviteflow/contracts';
import type { ProvisionedInfra } from '@inviteflow/infra';
import { connectNats, NatsHandle, publish } from '@inviteflow/messaging';
import type { RunningService } from '@inviteflow/platform';
import { appointmentV1, eventsV1 } from '@inviteflow/proto-gen';
import { callUnary, clientChannelOptions, clientCredentials, RunningGrpcServer } from '@inviteflow/rpc';
import { startInProcess, startPrivateNats, uniqueSuffix, testNatsAuth, testGrpcSecurity } from '@inviteflow/testing';
import { appointmentConfig } from '../src/config';
import { start } from '../src/start';
import { FakeIdentity } from './fake-identity';
import { startFakeIdentityServer } from './fake-identity.server';

const JOHN = 'john.doe@contoso.com';
const BOSS = 'boss@partner.example';

function invite(mailId: string, uid: string, sequence: number, summary: string): Uint8Array {
  return eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
    mailId, method: 'REQUEST', uid,
    mail: { envelopeTo: [JOHN], from: BOSS },
    events: [{
      sequence, dtstamp: new Date('2026-03-01T08:00:00Z'), start: new Date('2026-03-10T09:00:00Z'), end: new Date('2026-03-10T10:00:00Z'),
      summary, organizer: { address: BOSS, name: 'Boss' }, attendees: [{ address: `mailto:${JOHN}`, name: 'John Doe' }],
    }],
  })).finish();
}

describe('the appointment service, started in-process through start(config)', () => {
  let infra: ProvisionedInfra;
  let identityServer: RunningGrpcServer;
  let service: RunningService;
  let nats: NatsHandle;
  let client: appointmentV1.AppointmentServiceClient;

  beforeAll(async () => {
    // A NATS of its own: the service uses the real stream and consumer names.
    infra = await startPrivateNats('appt');
    const directory = new FakeIdentity();
    directory.holders.set(JOHN, 'JOHN-ID');
    identityServer = await startFakeIdentityServer(directory);
    service = await startInProcess({ service: 'appointment', schema: appointmentConfig, start }, {
      NATS_URL: infra.natsUrl, IDENTITY_GRPC_ADDR: `127.0.0.1:${identityServer.port}`, OUR_DOMAINS: 'contoso.com',
    });
    nats = await connectNats({ servers: [infra.natsUrl], name: 'appointment-component-test', auth: testNatsAuth() });
    const cli = testGrpcSecurity().client('cli');
    client = new appointmentV1.AppointmentServiceClient(`127.0.0.1:${service.ports['grpc']}`, clientCredentials(cli), clientChannelOptions(`127.0.0.1:${service.ports['grpc']}`, cli));
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await nats?.drain();
    await service?.stop();
    await identityServer?.shutdown(1000);
    await infra?.stop();
  });

  const diary = () => callUnary<appointmentV1.ListDiaryResponse>((md, o, cb) => client.listDiary({ associate: 'JOHN-ID' }, md, o, cb), 5000);

  async function diaryWhen(predicate: (a: appointmentV1.DiaryEntry[]) => boolean): Promise<appointmentV1.DiaryEntry[]> {
    // Bounded by attempts, not by a clock assertion: the consumer applies asynchronously.
    for (let attempt = 0; attempt < 200; attempt++) {
      const { entries: appointments } = await diary();
      if (predicate(appointments)) return appointments;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return (await diary()).entries;
  }

  test('When an invitation and its update arrive on invite.parsed.v1, then the diary holds the update once, tentatively', async () => {
    // Arrange
    const uid = `component-${uniqueSuffix()}`;
    // Act: the update first, then the original — delivery order must not matter
    await publish(nats.js, SUBJECTS.inviteParsedV1, invite(`m-${uid}-2`, uid, 1, 'Kick-off (moved)'), { msgId: `${uid}:1` });
    await publish(nats.js, SUBJECTS.inviteParsedV1, invite(`m-${uid}-1`, uid, 0, 'Kick-off'), { msgId: `${uid}:0` });
    const appointments = await diaryWhen((a) => a.some((x) => x.uid === uid && x.sequence === 1));
    // Assert
    const mine = appointments.filter((a) => a.uid === uid);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ sequence: 1, summary: 'Kick-off (moved)', status: appointmentV1.DiaryStatus.DIARY_STATUS_TENTATIVE });
  });

  test('When the service is stopped, then every shutdown step completes', async () => {
    const second = await startInProcess({ service: 'appointment', schema: appointmentConfig, start }, {
      NATS_URL: infra.natsUrl, IDENTITY_GRPC_ADDR: `127.0.0.1:${identityServer.port}`, OUR_DOMAINS: 'contoso.com',
    });
    const result = await second.stop();
    expect(result.outcome).toBe('completed');
    expect(result.steps.map((s) => [s.name, s.status]).filter(([, status]) => status !== 'ok')).toEqual([]);
    expect(result.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['consumer-stop', 'grpc-shutdown', 'nats-drain', 'mongo-close', 'health-close']));
  });
});
