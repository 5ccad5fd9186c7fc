import { z } from 'zod';
import { commonConfig, defineConfig, envVar, healthPortVar, mongoConfig, natsConfig } from '@inviteflow/runtime';

export const appointmentConfig = defineConfig({
  ...commonConfig,
  healthPort: healthPortVar(9602),
  ...natsConfig,
  ...mongoConfig,
  mongoDb: envVar('MONGO_DB', z.string().regex(/^[A-Za-z0-9_-]{1,60}$/), {
    default: 'inviteflow_appointment', doc: "The appointment service's own database.", expected: 'a database name',
  }),
  grpcHost: envVar('GRPC_HOST', z.string().min(1), { default: '127.0.0.1', doc: 'Interface of the gRPC server (0.0.0.0 in Kubernetes).', expected: 'a host or IP' }),
  grpcPort: envVar('GRPC_PORT', z.coerce.number().int().min(0).max(65535), { default: 50052, doc: 'gRPC port; 0 picks a free one.', expected: 'a port 0-65535' }),
  identityGrpcAddr: envVar('IDENTITY_GRPC_ADDR', z.string().regex(/^[^:\s]+:\d+$/), {
    default: '127.0.0.1:50051', doc: 'host:port of the identity service.', expected: 'host:port',
  }),
  identityDeadlineMs: envVar('IDENTITY_DEADLINE_MS', z.coerce.number().int().min(50).max(60_000), {
    default: 2000, doc: 'Deadline of each call to the identity service.', expected: 'milliseconds',
  }),
  concurrency: envVar('CONSUMER_CONCURRENCY', z.coerce.number().int().min(1).max(256), {
    default: 8, doc: 'invite.parsed messages handled at once by this process.', expected: 'an integer 1-256',
  }),
});
