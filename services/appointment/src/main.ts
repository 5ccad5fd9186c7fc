import { CONSUMERS, SUBJECTS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, provisionConsumer, publish, startConsumer } from '@inviteflow/messaging';
import { createRoundTripCounter, ensureIndexes } from '@inviteflow/mongo';
import { bootService } from '@inviteflow/platform';
import { appointmentV1, eventsV1 } from '@inviteflow/proto-gen';
import { startGrpcServer } from '@inviteflow/rpc';
import { runService } from '@inviteflow/runtime';
import { appointmentConfig } from './config';
import { appointmentId } from './domain/appointment';
import { APPOINTMENT_INDEXES, AppointmentRepository } from './data/appointment.repository';
import { appointmentGrpcImplementation } from './grpc/appointment.grpc';
import { identityClient } from './grpc/identity.client';
import { onInviteParsed } from './handlers/invite-parsed.handler';

async function main(): Promise<void> {
  const kit = await bootService({
    service: 'appointment', schema: appointmentConfig,
    nats: (c) => c.natsUrl, mongo: (c) => ({ url: c.mongoUrl, dbName: c.mongoDb }),
  });
  const { config, log, nats, mongo, metrics } = kit;
  await ensureIndexes(mongo!.db, APPOINTMENT_INDEXES);
  const repo = new AppointmentRepository(mongo!.db);
  const identity = identityClient(config.identityGrpcAddr, config.identityDeadlineMs);
  const roundTrips = createRoundTripCounter(mongo!.client);
  const roundTripsPerMessage = metrics.histogram({
    name: 'inviteflow_appointment_db_round_trips_per_message', help: 'MongoDB round trips spent on one invite.parsed message',
    buckets: [1, 2, 3, 4, 6, 8, 12, 16, 32],
  });
  const applied = metrics.counter({ name: 'inviteflow_appointments_applied_total', help: 'Diary writes by result', labelNames: ['result'] });
  await provisionConsumer(nats!.jsm, CONSUMERS.appointment, DEFAULT_RETRY_POLICY);
  const consumer = await startConsumer(nats!.js, {
    stream: CONSUMERS.appointment.stream, durable: CONSUMERS.appointment.durable, policy: DEFAULT_RETRY_POLICY,
    concurrency: config.concurrency, log,
    handle: ({ data }) => roundTrips.measure(() => handleInvite(data)).then((m) => void roundTripsPerMessage.observe(m.roundTrips.total)),
  });
  function handleInvite(data: Uint8Array): Promise<void> {
    return onInviteParsed({
      repo, identity, log, now: () => new Date(),
      onApplied: async (result, s) => {
        applied.inc({ result });
        if (result !== 'created') return;
        const id = appointmentId(s);
        const event = eventsV1.AppointmentScheduled.encode({
          appointmentId: id, associateId: s.associateId, uid: s.uid, recurrenceId: s.recurrenceId, sequence: s.sequence, mailId: s.sourceMailId,
        }).finish();
        await publish(nats!.js, SUBJECTS.appointmentScheduledV1, event, { msgId: `scheduled:${id}` });
      },
    })(data);
  }
  const grpc = await startGrpcServer({
    host: config.grpcHost, port: config.grpcPort,
    services: [{ name: 'inviteflow.appointment.v1.AppointmentService', definition: appointmentV1.AppointmentServiceService, implementation: appointmentGrpcImplementation(repo, identity, log) }],
  });
  await kit.started({ grpc: grpc.port }, [
    { name: 'consumer-stop', run: () => consumer.stop(config.shutdownTimeoutMs / 2) },
    { name: 'grpc-shutdown', run: () => grpc.shutdown(1000) },
    { name: 'identity-client-close', run: () => identity.close() },
  ], { consumer: () => consumer.isRunning() });
}

void runService(main, { service: 'appointment' });
