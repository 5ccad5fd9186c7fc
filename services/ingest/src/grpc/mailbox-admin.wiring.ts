import type { Db } from 'mongodb';
import { grpcServerSecurity } from '@inviteflow/platform';
import { ingestV1 } from '@inviteflow/proto-gen';
import { startGrpcServer, type RunningGrpcServer } from '@inviteflow/rpc';
import type { IngestConfig } from '../config';
import { MailboxCheckpointRepository } from '../data/mailbox-checkpoint.repository';
import { MailboxLeaseRepository } from '../data/mailbox-lease.repository';
import { MailboxRepository } from '../data/mailbox.repository';
import type { MailboxIntake } from '../imap/mailbox.wiring';
import { mailboxGrpcImplementation, type MailboxGrpcDeps } from './mailbox.grpc';

export interface MailboxAdmin {
  grpc: RunningGrpcServer;
  steps: Array<{ name: string; run: () => Promise<void> | void }>;
}

/**
 * MailboxService on GRPC_PORT (with grpc.health.v1), and the periodic re-read of the
 * definitions, so a mailbox added through one replica is read (by whichever replica wins its
 * lease) without a restart of the others.
 */
export async function startMailboxAdmin(config: IngestConfig, deps: { db: Db; intake: MailboxIntake; log: MailboxGrpcDeps['log'] & { warn(obj: object, msg?: string): void } }): Promise<MailboxAdmin> {
  const { db, intake, log } = deps;
  const reload = (): Promise<void> => intake.reload().catch((err: unknown) => log.error({ err }, 'could not re-read the mailbox definitions'));
  const grpc = await startGrpcServer({
    host: config.grpcHost, port: config.grpcPort,
    services: [{
      name: 'inviteflow.ingest.v1.MailboxService', definition: ingestV1.MailboxServiceService,
      implementation: mailboxGrpcImplementation({
        mailboxes: new MailboxRepository(db), checkpoints: new MailboxCheckpointRepository(db), leases: new MailboxLeaseRepository(db),
        reload, secrets: { secretsDir: config.mailboxSecretsDir }, log,
      }),
    }],
    // TLS + caller tokens as every gRPC server (GRPC_SECURITY, docs/security-grpc.md): AddMailbox takes secrets.
    security: grpcServerSecurity('ingest', config, log), log,
  });
  const timer = setInterval(() => void reload(), config.mailboxReloadIntervalMs);
  timer.unref();
  return {
    grpc,
    steps: [
      { name: 'mailbox-reload-stop', run: () => clearInterval(timer) },
      { name: 'grpc-shutdown', run: () => grpc.shutdown(1000) },
    ],
  };
}
