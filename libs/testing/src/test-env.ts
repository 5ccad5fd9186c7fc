import { randomBytes } from 'node:crypto';

/** URLs provided by the Jest global set-up (or by the environment). */
export function testNatsUrl(): string {
  const url = process.env['NATS_URL'];
  if (!url) throw new Error('NATS_URL is not set: integration tests run under the Jest global set-up');
  return url;
}

export function testMongoUrl(): string {
  const url = process.env['MONGO_URL'];
  if (!url) throw new Error('MONGO_URL is not set: integration tests run under the Jest global set-up');
  return url;
}

/** A short random suffix for per-test database, stream and subject names. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}
