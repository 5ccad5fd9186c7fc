import { CONSUMERS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, provisionConsumer, startConsumer } from '@inviteflow/messaging';
import { ensureIndexes } from '@inviteflow/mongo';
import { bootService } from '@inviteflow/platform';
import { appointmentV1 } from '@inviteflow/proto-gen';
import { startGrpcServer } from '@inviteflow/rpc';
import { runService } from '@inviteflow/runtime';
import { appointmentConfig } from './config';
import { APPOINTMENT_INDEXES, AppointmentRepository } from './data/appointment.repository';
import { ParkedInviteRepository } from './data/parked-invite.repository';
import { appointmentGrpcImplementation } from './grpc/appointment.grpc';
import { appliedPublisher, withRoundTripMetric } from './handlers/applied.publisher';
import { onInviteParsed } from './handlers/invite-parsed.handler';
import { ParkedInvites } from './handlers/parked-invite.service';
import { cachedIdentity, startIdentityFollowers } from './identity.wiring';

async function main(): Promise<void> {
  const kit = await bootService({
    service: 'appointment', schema: appointmentConfig,
    nats: (c) => c.natsUrl, mongo: (c) => ({ url: c.mongoUrl, dbName: c.mongoDb }),
  });
  const { config, log, nats, mongo, metrics } = kit;
  await ensureIndexes(mongo!.db, APPOINTMENT_INDEXES);
  const repo = new AppointmentRepository(mongo!.db);
  const parkedRepo = new ParkedInviteRepository(mongo!.db);
  const { identity, cache } = cachedIdentity(config, metrics);
  const onApplied = appliedPublisher(nats!, metrics);
  const now = (): Date => new Date();
  const parked = new ParkedInvites({ repo, parked: parkedRepo, identity, log, now, onApplied });
  const handleInvite = onInviteParsed({ repo, identity, parked, ourDomains: config.ourDomains, log, now, onApplied });
  await provisionConsumer(nats!.jsm, CONSUMERS.appointment, DEFAULT_RETRY_POLICY);
  const consumer = await startConsumer(nats!.js, {
    stream: CONSUMERS.appointment.stream, durable: CONSUMERS.appointment.durable, policy: DEFAULT_RETRY_POLICY,
    concurrency: config.concurrency, log,
    handle: withRoundTripMetric(mongo!.client, metrics, handleInvite),
  });
  const followers = await startIdentityFollowers({ config, nats: nats!, log, metrics, cache, parked, parkedRepo });
  const grpc = await startGrpcServer({
    host: config.grpcHost, port: config.grpcPort,
    services: [{ name: 'inviteflow.appointment.v1.AppointmentService', definition: appointmentV1.AppointmentServiceService, implementation: appointmentGrpcImplementation(repo, identity, log) }],
  });
  await kit.started({ grpc: grpc.port }, [
    { name: 'consumer-stop', run: () => consumer.stop(config.shutdownTimeoutMs / 2) },
    ...followers.steps,
    { name: 'grpc-shutdown', run: () => grpc.shutdown(1000) },
    { name: 'identity-client-close', run: async () => identity.close() },
  ], { consumer: () => consumer.isRunning(), identityConsumer: () => followers.consumer.isRunning() }, grpc);
  log.info({ ourDomains: config.ourDomains, cacheSize: config.identityCacheSize }, 'parking invites for unknown addresses in our domains');
}

void runService(main, { service: 'appointment' });
