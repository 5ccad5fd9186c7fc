import { z } from 'zod';
import {
  commonConfig, consumerConcurrencyVar, defineConfig, domainList, envVar, grpcClientSecurityConfig, grpcServerConfig, healthPortVar, mongoConfig, natsConfig,
  serviceDatabaseVar, ConfigOf,
} from '@inviteflow/runtime';
import { SENDER_AUTH_MODES, type SenderAuthMode } from './domain/sender-auth';

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
  // Appointment's own caller token and trust for its calls to identity (issue 15 §2).
  ...grpcClientSecurityConfig,
  identityDeadlineMs: envVar('IDENTITY_DEADLINE_MS', z.coerce.number().int().min(50).max(60_000), {
    default: 2000, doc: 'Deadline of each call to the identity service.', expected: 'milliseconds',
  }),
  // A handler mostly waits on round trips; 32 at once keep the database busy and let the
  // repositories' group reads and writes share them (issue 14: 8 capped a replica at ~85/s).
  concurrency: consumerConcurrencyVar(32, 'invite.parsed messages handled at once by this process.'),
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
    default: 60_000, doc: 'How often parked invites are re-resolved even without an identity.changed event (a missed event must not park an invite for ever), replies held for a meeting that has arrived since are applied, and events and commands left in a copy\'s outbox for 10 s or more (a failed publish, a crash) are published; 0 turns it off.', expected: 'milliseconds',
  }),
  // ---- Settings: incoming policies and the calendar synchronizer preference (issue 10 §3–§4) ----
  settingsCacheMs: envVar('SETTINGS_CACHE_MS', z.coerce.number().int().min(0).max(600_000), {
    default: 2000, doc: 'How long a process reuses what it read of "Manage incoming invitations" and the synchronizer preference; a change made through another replica takes effect here within this time (at once on the replica that made it). 0 reads them for every recipient.', expected: 'milliseconds',
  }),
  synchronizerCollections: envVar('SYNCHRONIZER_COLLECTIONS', z.string().transform((v) => v.split(',').map((c) => c.trim()).filter(Boolean)).pipe(z.array(z.string().regex(/^[A-Za-z0-9_.-]+$/)).min(1)), {
    default: ['diary_sync_state', 'diary_sync_links'],
    doc: 'Comma-separated collections in this service\'s database whose presence means a calendar synchronizer is installed: the one-time upgrade detection at the first start switches the "calendar synchronizer in use" preference on if any exists.',
    expected: 'collection[,collection...]',
  }),
  notInSyncBatchSize: envVar('NOT_IN_SYNC_BATCH_SIZE', z.coerce.number().int().min(1).max(10_000), {
    default: 500, doc: 'Meeting copies marked not in sync per batch (one checkpoint each) when the synchronizer preference is switched on.', expected: 'an integer 1-10000',
  }),
  // ---- Sender authentication (issue 15 pt 4, docs/security.md) ----
  senderAuthDefault: envVar('SENDER_AUTH_DEFAULT', z.enum(SENDER_AUTH_MODES), {
    default: 'enforce',
    doc: 'What a REPLY, CANCEL or COUNTER whose sender is not authenticated for its From domain (DMARC fail, or no SPF/DKIM pass aligned with it) does: enforce (changes nothing, recorded UNVERIFIED_SENDER) or record-only (applied, the failure recorded).',
    expected: SENDER_AUTH_MODES.join('|'),
  }),
  senderAuthDomains: envVar('SENDER_AUTH_DOMAINS', z.string()
    .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z0-9.-]+=(enforce|record-only)$/)))
    .transform((items) => Object.fromEntries(items.map((i) => i.split('=') as [string, SenderAuthMode]))), {
    default: {},
    doc: 'Exceptions to SENDER_AUTH_DEFAULT by From domain (subdomains included), e.g. partner.example=record-only for a partner whose mail does not authenticate yet.',
    expected: 'domain=enforce|record-only[,...]',
  }),
  // ---- end sender authentication
});

export type AppointmentConfig = ConfigOf<typeof appointmentConfig>;
