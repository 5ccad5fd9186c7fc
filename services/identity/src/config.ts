import { z } from 'zod';
import { commonConfig, defineConfig, envVar, healthPortVar, mongoConfig, natsConfig } from '@inviteflow/runtime';

export const identityConfig = defineConfig({
  ...commonConfig,
  healthPort: healthPortVar(9601),
  ...natsConfig,
  ...mongoConfig,
  mongoDb: envVar('MONGO_DB', z.string().regex(/^[A-Za-z0-9_-]{1,60}$/), {
    default: 'inviteflow_identity', doc: "The identity service's own database.", expected: 'a database name',
  }),
  grpcHost: envVar('GRPC_HOST', z.string().min(1), { default: '127.0.0.1', doc: 'Interface of the gRPC server (0.0.0.0 in Kubernetes).', expected: 'a host or IP' }),
  grpcPort: envVar('GRPC_PORT', z.coerce.number().int().min(0).max(65535), { default: 50051, doc: 'gRPC port; 0 picks a free one.', expected: 'a port 0-65535' }),
});
