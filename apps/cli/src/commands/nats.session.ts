import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { cliError } from '../cli-output';

export interface NatsSession {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/** One NATS connection for the duration of `fn`; not reachable is exit 3 with a hint. */
export async function withNats<T>(natsUrl: string, fn: (session: NatsSession) => Promise<T>): Promise<T> {
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: natsUrl, timeout: 3000, maxReconnectAttempts: 0, name: 'inviteflow-cli' });
  } catch (err) {
    throw cliError('CLI_UNAVAILABLE', `NATS at ${natsUrl} is not answering (${(err as Error).message}); is the cluster up (./dev up)?`);
  }
  try {
    return await fn({ nc, js: jetstream(nc), jsm: await jetstreamManager(nc) });
  } finally {
    await nc.close();
  }
}
