import { connect } from '@nats-io/transport-node';
import { MongoClient } from 'mongodb';
import { INFRA_ERROR_CODES, infraError } from './infra.errors';

/**
 * A real round trip to each server before anything is started on top of it: a log line
 * saying "ready" proves the process bound its port, not that it answers its protocol.
 */
export async function checkNats(url: string, timeoutMs = 5000): Promise<void> {
  const nc = await connect({ servers: url, timeout: timeoutMs, maxReconnectAttempts: 0 });
  try {
    await nc.rtt();
    // JetStream must be on: every stream and the object store depend on it.
    const info = await nc.request('$JS.API.INFO', undefined, { timeout: timeoutMs });
    const reply = JSON.parse(new TextDecoder().decode(info.data)) as { error?: { description?: string } };
    if (reply.error) throw infraError(INFRA_ERROR_CODES.jetStreamUnavailable, `JetStream is not available: ${reply.error.description ?? 'unknown error'}`);
  } finally {
    await nc.close();
  }
}

export async function checkMongo(url: string, timeoutMs = 5000): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}
