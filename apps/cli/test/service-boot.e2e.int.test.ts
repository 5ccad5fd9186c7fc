import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@inviteflow/infra';

const root = findWorkspaceRoot(__dirname);

function boot(service: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(root, 'dist/services', service, 'main.js')],
      { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 15_000 }, (_err, stdout, stderr) => resolve({ code: child.exitCode, out: stdout + stderr }));
  });
}

describe('service configuration is validated at boot', () => {
  test.each([
    ['ingest', { NATS_URL: 'nats://127.0.0.1:1', ACCEPT_DOMAINS: 'not a domain' }, 'ACCEPT_DOMAINS'],
    ['identity', { NATS_URL: 'nats://127.0.0.1:1', MONGO_URL: 'mongodb://127.0.0.1:1', GRPC_PORT: '70000' }, 'GRPC_PORT'],
    ['appointment', { NATS_URL: 'http://wrong-scheme', MONGO_URL: 'mongodb://127.0.0.1:1' }, 'NATS_URL'],
    ['parser', { NATS_URL: 'nats://127.0.0.1:1', CONSUMER_CONCURRENCY: 'lots' }, 'CONSUMER_CONCURRENCY'],
    ['outbound-mail', { NATS_URL: 'nats://127.0.0.1:1' }, 'MONGO_URL'],
  ])('When %s gets a bad environment, then it stops with exit 78 naming the variable', async (service, env, variable) => {
    const run = await boot(service, env);
    expect(run.code).toBe(78);
    expect(run.out).toContain(variable);
  });

  test('When PRINT_CONFIG=1, then the resolved config is printed with the MongoDB URL redacted', async () => {
    const run = await boot('identity', { NATS_URL: 'nats://127.0.0.1:1', MONGO_URL: 'mongodb://user:secret@127.0.0.1:1/x', PRINT_CONFIG: '1' });
    expect(run.code).toBe(0);
    expect(run.out).not.toContain('secret');
    expect(JSON.parse(run.out)).toMatchObject({ GRPC_PORT: 50051 });
  });
});
