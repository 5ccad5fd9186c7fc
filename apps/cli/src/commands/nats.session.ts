import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { natsAuthOptions } from '@inviteflow/messaging';
import { cliError } from '../cli-output';
import { resolveEndpoints } from '../endpoints';

export interface NatsSession {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/**
 * One NATS connection for the duration of `fn`; not reachable is exit 3 with a hint. The CLI
 * connects as the operator (`cli` in nats.permissions.ts) with the seed file `./dev up` wrote
 * into cluster.json, or INVITEFLOW_NATS_NKEY_SEED_FILE.
 */
export async function withNats<T>(natsUrl: string, fn: (session: NatsSession) => Promise<T>, seedFile = resolveEndpoints().natsSeedFile): Promise<T> {
  let nc: NatsConnection;
  try {
    const auth = natsAuthOptions(seedFile ? { mode: 'nkey', seedFile } : undefined);
    nc = await connect({ servers: natsUrl, timeout: 3000, maxReconnectAttempts: 0, name: 'inviteflow-cli', ...auth });
  } catch (err) {
    throw cliError('CLI_UNAVAILABLE', `NATS at ${natsUrl} is not answering (${(err as Error).message}); is the cluster up (./dev up)?`);
  }
  try {
    return await fn({ nc, js: jetstream(nc), jsm: await jetstreamManager(nc) });
  } finally {
    await nc.close();
  }
}
