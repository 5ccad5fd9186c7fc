import { createServer } from 'node:net';
import { MongoClient, MongoServerSelectionError } from 'mongodb';
import { connectMongo } from './mongo.connection';
import { AppError } from '@inviteflow/runtime';
import { mapMongoError } from './mongo.errors';
import { testMongoUrl, uniqueDbName } from './test-database.fixture';

/** A loopback port that was free a moment ago and has nothing listening now. */
async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

describe('connectMongo', () => {
  test('When the server is live, then ping answers true', async () => {
    // Arrange
    const mongo = await connectMongo({ url: testMongoUrl(), dbName: uniqueDbName(), appName: 'mongo-lib-test' });

    try {
      // Act
      const alive = await mongo.ping();

      // Assert
      expect(alive).toBe(true);
      expect(mongo.db.databaseName).toMatch(/^mongo_lib_/);
    } finally {
      await mongo.close();
    }
  });

  test('When the connection has been closed, then ping answers false instead of throwing', async () => {
    // Arrange
    const mongo = await connectMongo({ url: testMongoUrl(), dbName: uniqueDbName(), appName: 'mongo-lib-test' });
    await mongo.close();

    // Act
    const alive = await mongo.ping();

    // Assert
    expect(alive).toBe(false);
  });

  test('When nothing listens on the port, then mapMongoError marks the connection failure as retryable MONGO_UNAVAILABLE', async () => {
    // Arrange
    const port = await closedLoopbackPort();
    const client = new MongoClient(`mongodb://127.0.0.1:${port}`, { serverSelectionTimeoutMS: 300 });

    // Act
    const raw = await client.connect().catch((err: unknown) => err);
    await client.close();
    const mapped = mapMongoError(raw);

    // Assert
    expect(raw).toBeInstanceOf(MongoServerSelectionError);
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped).toMatchObject({ code: 'MONGO_UNAVAILABLE', retryable: true, cause: raw });
  });

  test('When nothing listens on the port, then connectMongo rejects with MONGO_UNAVAILABLE', async () => {
    // Arrange
    const port = await closedLoopbackPort();

    // Act
    const connecting = connectMongo({
      url: `mongodb://127.0.0.1:${port}`,
      dbName: uniqueDbName(),
      appName: 'mongo-lib-test',
      serverSelectionTimeoutMs: 300,
    });

    // Assert
    await expect(connecting).rejects.toBeInstanceOf(AppError);
    await expect(connecting).rejects.toMatchObject({ code: 'MONGO_UNAVAILABLE', retryable: true });
  });
});
