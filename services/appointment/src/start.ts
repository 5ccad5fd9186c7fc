import { CONSUMERS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, startDurableConsumer } from '@inviteflow/messaging';
import { ensureIndexes } from '@inviteflow/mongo';
import { bootService, RunningService, StartOptions } from '@inviteflow/platform';
import { appointmentV1 } from '@inviteflow/proto-gen';
import { startGrpcServer } from '@inviteflow/rpc';
import type { AppointmentConfig } from './config';
import { APPOINTMENT_INDEXES, AppointmentRepository } from './data/appointment.repository';
import { ParkedInviteRepository } from './data/parked-invite.repository';
import { appointmentGrpcImplementation } from './grpc/appointment.grpc';
import { appliedPublisher, withRoundTripMetric } from './handlers/applied.publisher';
import { onInviteParsed } from './handlers/invite-parsed.handler';
import { ParkedInvites } from './handlers/parked-invite.service';
import { cachedIdentity, startIdentityFollowers } from './identity.wiring';

/** Wires and starts appointment: applies parsed invitations to diaries, parks the unresolvable. */
export async function start(config: AppointmentConfig, options: StartOptions = {}): Promise<RunningService> {
  const kit = await bootService({
    service: 'appointment', config, options,
    nats: (c) => c.natsUrl, mongo: (c) => ({ url: c.mongoUrl, dbName: c.mongoDb }),
  });
  const { log, nats, mongo, metrics } = kit;
  await ensureIndexes(mongo!.db, APPOINTMENT_INDEXES);
  const repo = new AppointmentRepository(mongo!.db);
  const parkedRepo = new ParkedInviteRepository(mongo!.db);
  const { identity, cache } = cachedIdentity(config, metrics);
  const onApplied = appliedPublisher(nats!, metrics);
  const now = (): Date => new Date();
  const parked = new ParkedInvites({ repo, parked: parkedRepo, identity, log, now, onApplied });
  const handleInvite = onInviteParsed({ repo, identity, parked, ourDomains: config.ourDomains, log, now, onApplied });
  const consumer = await startDurableConsumer(nats!, {
    consumer: CONSUMERS.appointment, policy: DEFAULT_RETRY_POLICY, concurrency: config.concurrency, log,
    handle: withRoundTripMetric(mongo!.client, metrics, handleInvite),
  });
  const followers = await startIdentityFollowers({ config, nats: nats!, log, metrics, cache, parked, parkedRepo });
  const grpc = await startGrpcServer({
    host: config.grpcHost, port: config.grpcPort,
    services: [{ name: 'inviteflow.appointment.v1.AppointmentService', definition: appointmentV1.AppointmentServiceService, implementation: appointmentGrpcImplementation(repo, identity, log) }],
  });
  log.info({ ourDomains: config.ourDomains, cacheSize: config.identityCacheSize }, 'parking invites for unknown addresses in our domains');
  return kit.started({ grpc: grpc.port }, [
    { name: 'consumer-stop', run: () => consumer.stop(config.shutdownTimeoutMs / 2) },
    ...followers.steps,
    { name: 'grpc-shutdown', run: () => grpc.shutdown(1000) },
    { name: 'identity-client-close', run: async () => identity.close() },
  ], { consumer: () => consumer.isRunning(), identityConsumer: () => followers.consumer.isRunning() }, grpc);
}
