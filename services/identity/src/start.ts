import { ensureIndexes } from '@inviteflow/mongo';
import { bootService, grpcServerSecurity, RunningService, StartOptions } from '@inviteflow/platform';
import { identityV1 } from '@inviteflow/proto-gen';
import { startGrpcServer } from '@inviteflow/rpc';
import { effectivePolicies, IdentityConfig } from './config';
import { DIRECTORY_INDEXES } from './data/directory.indexes';
import { openDirectory } from './data/directory.factory';
import { rekeyIfPolicyChanged } from './data/directory.rekey';
import { IdentityService } from './domain/identity.service';
import { identityChangedPublisher } from './events/identity-changed.publisher';
import { identityGrpcImplementation } from './grpc/identity.grpc';

/** Wires and starts identity: the directory behind gRPC IdentityService. */
export async function start(config: IdentityConfig, options: StartOptions = {}): Promise<RunningService> {
  const kit = await bootService({
    service: 'identity', config, options,
    nats: (c) => c.natsUrl, mongo: (c) => ({ url: c.mongoUrl, dbName: c.mongoDb }),
  });
  const { log, nats, mongo } = kit;
  const policies = effectivePolicies(config);
  await ensureIndexes(mongo!.db, DIRECTORY_INDEXES);
  const dir = openDirectory(mongo!.db);
  const now = (): Date => new Date();
  await rekeyIfPolicyChanged(mongo!.db, dir, policies, log, now);
  const service = new IdentityService({ dir, policies, now, publishChanged: identityChangedPublisher(nats!.js, log) });
  const grpc = await startGrpcServer({
    host: config.grpcHost, port: config.grpcPort,
    services: [{ name: 'inviteflow.identity.v1.IdentityService', definition: identityV1.IdentityServiceService, implementation: identityGrpcImplementation(service, log) }],
    security: grpcServerSecurity('identity', config, log), log,
  });
  log.info({ policies }, 'address policies in effect');
  return kit.started({ grpc: grpc.port }, [{ name: 'grpc-shutdown', run: () => grpc.shutdown(config.shutdownTimeoutMs / 2) }], {}, grpc);
}
