import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { natsAuthOptions, type NatsClientAuth } from './nats.auth';
import { noopLogger, type Logger } from './logger.types';

export interface ConnectNatsOptions {
  readonly servers: string | string[];
  /** Shows up in the server's connection list (`nats server report connections`). */
  readonly name: string;
  readonly log?: Logger;
  /**
   * Who this client is (its nkey seed file) and TLS files. Services always pass it (from
   * natsAuthFromConfig); left out, the client connects anonymously, which a server with
   * authorization on refuses.
   */
  readonly auth?: NatsClientAuth;
}

/**
 * One connection per process. Methods are closures, not class methods, so a caller can
 * hand `conn.drain` to a shutdown list without binding it.
 */
export interface NatsHandle {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** For readiness: false while the client is reconnecting or after it closed. */
  isConnected(): boolean;
  /** Flushes pending publishes and acks, then closes. Safe to call more than once. */
  drain(): Promise<void>;
}

export async function connectNats(options: ConnectNatsOptions): Promise<NatsHandle> {
  const log = options.log ?? noopLogger;
  if (options.auth?.mode === 'off') {
    log.warn({ event: 'nats.auth.off', name: options.name }, 'NATS AUTHENTICATION IS OFF (NATS_AUTH=off): connecting anonymously; for development only, never in production');
  }
  const nc = await connect({
    servers: options.servers,
    name: options.name,
    ...natsAuthOptions(options.auth),
    // Keep reconnecting for ever: readiness reports the outage, and Kubernetes decides
    // whether to restart us. Giving up would turn a NATS restart into a crash loop.
    maxReconnectAttempts: -1,
    // ---- issue 14 (load): nats.js builds an Error per request (every JetStream publish and
    // ack) only to keep the caller's stack for a later failure; a profile under load showed it
    // at 2–5 % of ingest's and the parser's time. Failures keep their message and cause.
    noAsyncTraces: true,
  });
  // jetstreamManager() asks the server for account info, so a server without JetStream
  // fails here, at boot, rather than on the first publish.
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  let connected = true;
  watchStatus(nc, log, (value) => {
    connected = value;
  }).catch((err: unknown) => log.error({ err }, 'nats status watcher failed'));
  log.info({ servers: options.servers, name: options.name, auth: options.auth?.mode ?? 'none' }, 'nats connected');

  return {
    nc,
    js,
    jsm,
    isConnected: () => connected && !nc.isClosed(),
    drain: async () => {
      if (nc.isClosed()) return;
      if (nc.isDraining()) {
        await nc.closed();
        return;
      }
      await nc.drain();
    },
  };
}

async function watchStatus(nc: NatsConnection, log: Logger, setConnected: (value: boolean) => void): Promise<void> {
  for await (const status of nc.status()) {
    switch (status.type) {
      case 'disconnect':
        setConnected(false);
        log.warn({ server: status.server }, 'nats disconnected');
        break;
      case 'reconnect':
        setConnected(true);
        log.info({ server: status.server }, 'nats reconnected');
        break;
      case 'close':
        setConnected(false);
        break;
      case 'ldm':
        // Lame-duck mode: the server is about to go away; the client will move on its own.
        log.warn({ server: status.server }, 'nats server entering lame-duck mode');
        break;
      case 'error':
        log.error({ err: status.error }, 'nats connection error');
        break;
      default:
        log.debug({ status: status.type }, 'nats status');
    }
  }
}
