import { z } from 'zod';
import {
  commonConfig, consumerConcurrencyVar, defineConfig, domainList, envVar, grpcServerConfig, healthPortVar, mongoConfig, natsConfig,
  serviceDatabaseVar, ConfigOf,
} from '@inviteflow/runtime';

export const appointmentConfig = defineConfig({
  ...commonConfig,
  healthPort: healthPortVar(9602),
  ...natsConfig,
  ...mongoConfig,
  mongoDb: serviceDatabaseVar('appointment', 'inviteflow_appointment'),
  ...grpcServerConfig(50052),
  identityGrpcAddr: envVar('IDENTITY_GRPC_ADDR', z.string().regex(/^(dns:(\/\/\/)?)?[^:\s/]+:\d+$/), {
    default: '127.0.0.1:50051',
    doc: 'The identity service: host:port, or dns:///host:port (a headless Service) to spread calls over every identity pod (round_robin).',
    expected: 'host:port or dns:///host:port',
  }),
  identityDeadlineMs: envVar('IDENTITY_DEADLINE_MS', z.coerce.number().int().min(50).max(60_000), {
    default: 2000, doc: 'Deadline of each call to the identity service.', expected: 'milliseconds',
  }),
  concurrency: consumerConcurrencyVar(8, 'invite.parsed messages handled at once by this process.'),
  ourDomains: envVar('OUR_DOMAINS', domainList, {
    doc: 'Comma-separated domains of our own associates (subdomains included), usually ingest\'s ACCEPT_DOMAINS: an invite to an unknown address there is parked until the address becomes known.',
    expected: 'domain[,domain...]',
  }),
  identityCacheSize: envVar('IDENTITY_CACHE_SIZE', z.coerce.number().int().min(0).max(1_000_000), {
    default: 10_000, doc: 'Resolutions cached per process (least recently used evicted first); 0 turns the cache off.', expected: 'an integer 0-1000000',
  }),
  identityCacheTtlMs: envVar('IDENTITY_CACHE_TTL_MS', z.coerce.number().int().min(1000).max(86_400_000), {
    default: 300_000, doc: 'Longest a cached resolution is used; the safety net should an identity.changed event be missed.', expected: 'milliseconds',
  }),
  parkedRecheckMs: envVar('PARKED_RECHECK_MS', z.coerce.number().int().min(0).max(86_400_000), {
    default: 60_000, doc: 'How often parked invites are re-resolved even without an identity.changed event (a missed event must not park an invite for ever), and replies held for a meeting that has arrived since are applied; 0 turns it off.', expected: 'milliseconds',
  }),
});

export type AppointmentConfig = ConfigOf<typeof appointmentConfig>;
