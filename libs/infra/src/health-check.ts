import { connect } from '@nats-io/transport-node';
import { natsAuthOptions } from '@inviteflow/messaging';
import { MongoClient } from 'mongodb';
import { connect as connectTcp } from 'node:net';
import { INFRA_ERROR_CODES, infraError } from './infra.errors';

/**
 * A real round trip to each server before anything is started on top of it: a log line
 * saying "ready" proves the process bound its port, not that it answers its protocol.
 */
export async function checkNats(url: string, timeoutMs = 5000, nkeySeedFile?: string): Promise<void> {
  const auth = nkeySeedFile ? natsAuthOptions({ mode: 'nkey', seedFile: nkeySeedFile }) : {};
  const nc = await connect({ servers: url, timeout: timeoutMs, maxReconnectAttempts: 0, ...auth });
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

/** An SMTP server's greeting: `220 …` (RFC 5321 §4.2). */
export function checkSmtpBanner(endpoint: { host: string; port: number }, timeoutMs = 5000): Promise<string> {
  return readGreeting(endpoint, /^220[ -]/, 'an SMTP 220 banner', timeoutMs);
}

/** An IMAP server's greeting: `* OK …` (RFC 9051 §7.1.1). */
export function checkImapGreeting(endpoint: { host: string; port: number }, timeoutMs = 5000): Promise<string> {
  return readGreeting(endpoint, /^\* OK/i, 'an IMAP * OK greeting', timeoutMs);
}

/** Connects, reads the first line, and hangs up: the protocol answers, not just the port. */
function readGreeting(endpoint: { host: string; port: number }, expected: RegExp, what: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: endpoint.host, port: endpoint.port });
    let received = '';
    const done = (err?: Error): void => {
      socket.destroy();
      if (err) reject(err);
      else resolve(received.split(/\r?\n/)[0] ?? '');
    };
    socket.setTimeout(timeoutMs, () => done(infraError(INFRA_ERROR_CODES.processNotReady, `${endpoint.host}:${endpoint.port} sent no greeting within ${timeoutMs} ms`)));
    socket.on('error', (err) => done(err));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (!received.includes('\n')) return;
      const line = received.split(/\r?\n/)[0] ?? '';
      done(expected.test(line) ? undefined : infraError(INFRA_ERROR_CODES.processNotReady, `${endpoint.host}:${endpoint.port} greeted with "${line}", not ${what}`));
    });
  });
}
