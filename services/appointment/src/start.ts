import { CONSUMERS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, publish, startDurableConsumer, type MessageContext } from '@inviteflow/messaging';
import { ensureIndexes } from '@inviteflow/mongo';
import { bootService, grpcServerSecurity, RunningService, StartOptions } from '@inviteflow/platform';
import { appointmentV1 } from '@inviteflow/proto-gen';
import { startGrpcServer } from '@inviteflow/rpc';
import type { AppointmentConfig } from './config';
import { HELD_MESSAGE_INDEXES, HeldMessageRepository } from './data/held-message.repository';
import { MEETING_INDEXES, MeetingRepository } from './data/meeting.repository';
import { OUTCOME_INDEXES, OutcomeRepository } from './data/outcome.repository';
import { ParkedInviteRepository } from './data/parked-invite.repository';
import { PendingOutboundRepository } from './data/pending-outbound.repository';
import { appointmentGrpcImplementation } from './grpc/appointment.grpc';
import { CopyPipeline } from './handlers/copy.pipeline';
import { onInviteParsed } from './handlers/invite-parsed.handler';
import { copyPublisher } from './handlers/meeting-events.publisher';
import { withRoundTripMetric } from './handlers/round-trip.metric';
import { ParkedInvites } from './handlers/parked-invite.service';
import { cachedIdentity, startIdentityFollowers } from './identity.wiring';
import { startSettings } from './settings.wiring';
import { startCrm } from './crm.wiring';
import { startBounceFollower } from './bounce.wiring';
import { warnUnlessEnforced } from './handlers/sender-auth.gate';

/**
 * Wires and starts appointment, the scheduling agent: applies parsed iTIP messages to meeting
 * copies by libs/itip's rules, parks invites for unknown addresses, records every decision.
 */
export async function start(config: AppointmentConfig, options: StartOptions = {}): Promise<RunningService> {
  const kit = await bootService({
    service: 'appointment', config, options,
    nats: (c) => c.natsUrl, mongo: (c) => ({ url: c.mongoUrl, dbName: c.mongoDb }),
  });
  const { log, nats, mongo, metrics } = kit;
  await ensureIndexes(mongo!.db, [...MEETING_INDEXES, ...OUTCOME_INDEXES, ...HELD_MESSAGE_INDEXES]);
  const meetings = new MeetingRepository(mongo!.db);
  const outcomes = new OutcomeRepository(mongo!.db);
  const parkedRepo = new ParkedInviteRepository(mongo!.db);
  const { identity, cache } = cachedIdentity(config, metrics);
  // The copies' outbox (issue 14, chaos): events saved with the copy, published, then cleared.
  const publishCopy = copyPublisher(async (subject, payload, msgId) => void (await publish(nats!.js, subject, payload, { msgId })), new PendingOutboundRepository(mongo!.db), metrics);
  const now = (): Date => new Date();
  const pipeline = new CopyPipeline({ meetings, held: new HeldMessageRepository(mongo!.db), outcomes, publishCopy, log, now });
  // Before the consumer starts: the upgrade detection may switch the synchronizer preference on.
  const settings = await startSettings({ config, db: mongo!.db, nats: nats!, meetings, log, now });
  const gate = settings.gate;
  const parked = new ParkedInvites({ pipeline, outcomes, parked: parkedRepo, identity, gate, log, now });
  const senderAuth = { defaultMode: config.senderAuthDefault, domains: config.senderAuthDomains }; // issue 15 pt 4
  warnUnlessEnforced(senderAuth, log);
  const handleInvite = onInviteParsed({ pipeline, outcomes, identity, parked, gate, ourDomains: config.ourDomains, log, now, senderAuth });
  const consumer = await startDurableConsumer(nats!, {
    consumer: CONSUMERS.appointment, policy: DEFAULT_RETRY_POLICY, concurrency: config.concurrency, log,
    handle: withRoundTripMetric(mongo!.client, metrics, (d: MessageContext) => handleInvite({ data: d.data, seq: d.seq, storedAt: Math.floor(d.msg.info.timestampNanos / 1e6) })),
  });
  const followers = await startIdentityFollowers({ config, nats: nats!, log, metrics, cache, parked, parkedRepo, pipeline });
  const crm = startCrm({ config, db: mongo!.db, nats: nats!, meetings, outcomes, publishCopy, log, now });
  const bounces = await startBounceFollower({ nats: nats!, meetings, outcomes, publishCopy, log, now, shutdownTimeoutMs: config.shutdownTimeoutMs });
  const grpc = await startGrpcServer({
    host: config.grpcHost, port: config.grpcPort,
    services: [{ name: 'inviteflow.appointment.v1.AppointmentService', definition: appointmentV1.AppointmentServiceService, implementation: appointmentGrpcImplementation({ meetings, outcomes, identity, now, log, publishCopy, settings: settings.api, crm: { flusher: crm.flusher } }) }],
    security: grpcServerSecurity('appointment', config, log), log,
  });
  log.info({ ourDomains: config.ourDomains, cacheSize: config.identityCacheSize }, 'parking invites for unknown addresses in our domains');
  return kit.started({ grpc: grpc.port }, [
    { name: 'consumer-stop', run: () => consumer.stop(config.shutdownTimeoutMs / 2) },
    ...followers.steps,
    ...settings.steps,
    ...crm.steps,
    ...bounces.steps,
    { name: 'grpc-shutdown', run: () => grpc.shutdown(1000) },
    { name: 'identity-client-close', run: async () => identity.close() },
  ], { consumer: () => consumer.isRunning(), identityConsumer: () => followers.consumer.isRunning(), bounceConsumer: bounces.isRunning }, grpc);
}
