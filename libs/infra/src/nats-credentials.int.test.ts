// Local NATS with and without authorization (issue 15 §1): on by default, off only when asked, and then loudly.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { natsAuthOptions } from '@inviteflow/messaging';
import { provisionInfrastructure } from './provision';
import { ensureNatsCredentials, NATS_AUTH_OFF_WARNING } from './nats-credentials';

/** Only NATS is started: the run's MongoDB stands in, untouched. */
function natsOnly(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env, INVITEFLOW_CONTAINERS: 'off', ...extra } as NodeJS.ProcessEnv;
  delete env['NATS_URL'];
  delete env['INVITEFLOW_NATS_CREDENTIALS_DIR'];
  return env;
}

describe('local NATS authorization', () => {
  test('Given a credentials directory, When it is set up twice, Then the keys stay the same and every seed is private to its owner', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nats-creds-')), 'keys');
    const first = ensureNatsCredentials(dir);
    const second = ensureNatsCredentials(dir);
    expect(second.serverEnv).toEqual(first.serverEnv);
    expect(statSync(first.seedFile('parser')).mode & 0o077).toBe(0);
    expect(readFileSync(first.configFile, 'utf8')).toContain('$INVITEFLOW_NKEY_PARSER');
  });

  test('Given the default, When local NATS starts, Then an anonymous client is refused and the test credential is let in', async () => {
    const steps: string[] = [];
    const infra = await provisionInfrastructure({ purpose: 'test', instance: 'auth-on', env: natsOnly({}), onStep: (m) => void steps.push(m) });
    try {
      expect(infra.natsCredentials).toBeDefined();
      await expect(connect({ servers: infra.natsUrl, timeout: 30_000, maxReconnectAttempts: 0 })).rejects.toThrow(/Authorization Violation/);
      const nc = await connect({ servers: infra.natsUrl, timeout: 30_000, ...natsAuthOptions({ mode: 'nkey', seedFile: infra.natsCredentials!.seedFile('test') }) });
      expect(await nc.rtt()).toBeGreaterThanOrEqual(0);
      await nc.close();
      expect(steps).not.toContain(NATS_AUTH_OFF_WARNING);
    } finally {
      await infra.stop();
    }
  }, 90_000);

  test('Given INVITEFLOW_NATS_AUTH=off, When local NATS starts, Then it says so loudly and lets anonymous clients in', async () => {
    const steps: string[] = [];
    const infra = await provisionInfrastructure({ purpose: 'test', instance: 'auth-off', env: natsOnly({ INVITEFLOW_NATS_AUTH: 'off' }), onStep: (m) => void steps.push(m) });
    try {
      expect(steps).toContain(NATS_AUTH_OFF_WARNING);
      expect(infra.natsCredentials).toBeUndefined();
      const nc = await connect({ servers: infra.natsUrl, timeout: 30_000 });
      expect(await nc.rtt()).toBeGreaterThanOrEqual(0);
      await nc.close();
    } finally {
      await infra.stop();
    }
  }, 90_000);
});
