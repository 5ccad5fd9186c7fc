import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { connectMongo, type MongoConnection } from './mongo.connection';

// libs/testing has the same helpers, but a type:lib project may not import type:testing
// (eslint.config.mjs module boundaries), so this library keeps its own few lines.

/** MONGO_URL comes from the Jest global set-up (libs/testing/src/jest/global-setup.ts). */
export function testMongoUrl(): string {
  const url = process.env['MONGO_URL'];
  if (!url) throw new Error('MONGO_URL is not set: integration tests run under the Jest global set-up');
  return url;
}

export function uniqueDbName(): string {
  return `mongo_lib_${randomBytes(4).toString('hex')}`;
}

export type TestDatabase = {
  readonly connection: MongoConnection;
  /** A fresh database for the current test, dropped after it. */
  readonly db: Db;
};

/** One connection per test file, one database per test (house-style.md §7). */
export function useTestDatabase(): TestDatabase {
  let connection: MongoConnection | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    connection = await connectMongo({ url: testMongoUrl(), dbName: uniqueDbName(), appName: 'mongo-lib-test' });
  });
  beforeEach(() => {
    db = connection?.client.db(uniqueDbName());
  });
  afterEach(async () => {
    await db?.dropDatabase();
    db = undefined;
  });
  afterAll(async () => {
    await connection?.close();
  });
  return {
    get connection() {
      if (!connection) throw new Error('the test connection is not open yet');
      return connection;
    },
    get db() {
      if (!db) throw new Error('the test database exists only inside a test');
      return db;
    },
  };
}
