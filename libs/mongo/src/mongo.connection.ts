import { Db, MongoClient } from 'mongodb';
import { withTimeout } from '@inviteflow/runtime';
import { mapMongoError } from './mongo.errors';

export type MongoConnectionConfig = {
  /** A standard connection string; production names the replica set in it. */
  url: string;
  /** The service's own database (architecture.md, Storage: no service reads another's). */
  dbName: string;
  /** Shown in the server's logs and currentOp, so an operator can tell services apart. */
  appName: string;
  /** How long an operation waits for a usable server before failing. Default 5000 ms. */
  serverSelectionTimeoutMs?: number;
};

export type MongoConnection = {
  client: MongoClient;
  db: Db;
  /** A real round trip (`ping`); false instead of throwing, for readiness probes. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
};

// The driver default is 30 s: too long for a readiness probe or a message handler to stall.
const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5_000;

/**
 * Connects and selects a server once, so a bad URL or a down server stops the boot with a
 * mapped error (AppError MONGO_UNAVAILABLE, retryable) instead of failing on the first message.
 *
 * No topology options are forced here. `directConnection` is deliberately left to the URL:
 * with a single host and no `replicaSet`, the driver already treats a standalone (and the
 * stand-in, which answers the legacy `isMaster` handshake as a standalone of wire version 8)
 * as a single server; forcing it would pin production to one replica-set member and lose
 * failover. `monitorCommands` is on so round trips can be counted (round-trip.counter.ts):
 * architecture.md asks every message path to know its number of round trips.
 */
export async function connectMongo(config: MongoConnectionConfig): Promise<MongoConnection> {
  const serverSelectionTimeoutMS = config.serverSelectionTimeoutMs ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS;
  const client = new MongoClient(config.url, {
    appName: config.appName,
    serverSelectionTimeoutMS,
    monitorCommands: true,
  });
  try {
    await client.connect();
  } catch (err) {
    await client.close().catch(() => undefined);
    throw mapMongoError(err);
  }
  const db = client.db(config.dbName);
  return {
    client,
    db,
    ping: () => pingDatabase(db, serverSelectionTimeoutMS),
    close: () => client.close(),
  };
}

/**
 * `ping` through the service's own database (wildduck's health check does a real round trip).
 * Bounded by a timer as well, because an established socket to a hung server would otherwise
 * wait for the OS (socketTimeoutMS defaults to none).
 */
async function pingDatabase(db: Db, timeoutMs: number): Promise<boolean> {
  const reply = await withTimeout(() => db.command({ ping: 1 }), timeoutMs);
  return reply.status === 'fulfilled' && reply.value['ok'] === 1;
}
