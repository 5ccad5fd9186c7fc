import { connect } from '@nats-io/transport-node';
import { natsAuthOptions } from '@inviteflow/messaging';
import { MongoClient } from 'mongodb';
import { provisionInfrastructure } from './provision';
import { INFRA_ERROR_CODES } from './infra.errors';
import { infraPaths } from './paths';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('provisionInfrastructure', () => {
  test('When URLs are set in the environment, then they are used as they are and nothing is started', async () => {
    const infra = await provisionInfrastructure({
      purpose: 'test',
      env: { NATS_URL: 'nats://127.0.0.1:1', MONGO_URL: 'mongodb://127.0.0.1:1' },
      healthCheck: false,
    });
    expect(infra.sources).toEqual({ nats: 'env', mongo: 'env' });
    expect(infra.natsUrl).toBe('nats://127.0.0.1:1');
    await infra.stop();
  });

  test('When nothing is set and no runtime answers, then the local builds start on loopback and stop cleanly', async () => {
    // Arrange
    const env = { ...process.env, INVITEFLOW_CONTAINERS: 'off' } as NodeJS.ProcessEnv;
    delete env['NATS_URL'];
    delete env['MONGO_URL'];
    // Act
    const infra = await provisionInfrastructure({ purpose: 'test', env, instance: 'provision-test' });
    try {
      // Assert: both answer a real round trip on 127.0.0.1
      expect(infra.sources).toEqual({ nats: 'local', mongo: 'local' });
      expect(infra.natsUrl).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
      expect(infra.mongoUrl).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+/);
      // Authorization is on: the set provisioned beside the server names the client.
      const nc = await connect({ servers: infra.natsUrl, ...natsAuthOptions({ mode: 'nkey', seedFile: infra.natsCredentials!.seedFile('test') }) });
      const rtt = await nc.rtt();
      expect(rtt).toBeGreaterThanOrEqual(0);
      await nc.close();
      const client = await MongoClient.connect(infra.mongoUrl, { serverSelectionTimeoutMS: 5000 });
      expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
      await client.close();
    } finally {
      await infra.stop();
    }
  }, 60_000);

  test('When a local build is missing, then the error names what to install', async () => {
    const env = { INVITEFLOW_CONTAINERS: 'off' } as NodeJS.ProcessEnv;
    const empty = mkdtempSync(join(tmpdir(), 'inviteflow-no-tools-'));
    const paths = { ...infraPaths(process.env), toolsDir: empty };
    const attempt = provisionInfrastructure({ purpose: 'test', env, paths });
    await expect(attempt).rejects.toMatchObject({ name: 'AppError', code: INFRA_ERROR_CODES.infraUnavailable });
    await expect(attempt).rejects.toThrow(/NATS_URL.*container runtime.*Go/);
  });

  test('When a URL in the environment does not answer, then provisioning fails naming it', async () => {
    const attempt = provisionInfrastructure({ purpose: 'test', env: { NATS_URL: 'nats://127.0.0.1:1', MONGO_URL: 'mongodb://127.0.0.1:1' } });
    await expect(attempt).rejects.toThrow(/NATS.*nats:\/\/127\.0\.0\.1:1 \(env\) does not answer/);
  });
});
