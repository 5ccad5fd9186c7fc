import { SUBJECTS } from '@inviteflow/contracts';
import { publish } from '@inviteflow/messaging';
import { ensureIndexes } from '@inviteflow/mongo';
import { bootService } from '@inviteflow/platform';
import { eventsV1, identityV1 } from '@inviteflow/proto-gen';
import { startGrpcServer } from '@inviteflow/rpc';
import { runService } from '@inviteflow/runtime';
import { identityConfig } from './config';
import { DirectoryRepository } from './data/directory.repository';
import { DIRECTORY_INDEXES } from './data/directory.indexes';
import { IdentityService } from './domain/identity.service';
import { identityGrpcImplementation } from './grpc/identity.grpc';

async function main(): Promise<void> {
  const kit = await bootService({
    service: 'identity', schema: identityConfig,
    nats: (c) => c.natsUrl, mongo: (c) => ({ url: c.mongoUrl, dbName: c.mongoDb }),
  });
  const { config, log, nats, mongo } = kit;
  await ensureIndexes(mongo!.db, DIRECTORY_INDEXES);
  const service = new IdentityService(new DirectoryRepository(mongo!.db), async (change) => {
    const payload = eventsV1.IdentityChanged.encode(change).finish();
    await publish(nats!.js, SUBJECTS.identityChangedV1, payload, { msgId: `${change.entityId}:${change.change}:${Date.now()}` });
  });
  const grpc = await startGrpcServer({
    host: config.grpcHost, port: config.grpcPort,
    services: [{ name: 'inviteflow.identity.v1.IdentityService', definition: identityV1.IdentityServiceService, implementation: identityGrpcImplementation(service, log) }],
  });
  await kit.started({ grpc: grpc.port }, [{ name: 'grpc-shutdown', run: () => grpc.shutdown(config.shutdownTimeoutMs / 2) }]);
}

void runService(main, { service: 'identity' });
