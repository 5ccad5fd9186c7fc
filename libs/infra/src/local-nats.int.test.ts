import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalNats } from './local-nats';
import { infraPaths } from './paths';

/** The environment a running process was started with (/proc/<pid>/environ, NUL-separated). */
function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter((e) => e.includes('='));
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

describe('startLocalNats', () => {
  test('When the local nats-server starts, then it runs with the Go settings for a small shared machine', async () => {
    // Arrange
    const storeDir = mkdtempSync(join(tmpdir(), 'inviteflow-local-nats-'));
    const before = { GOMAXPROCS: process.env['GOMAXPROCS'], GOGC: process.env['GOGC'] };
    delete process.env['GOMAXPROCS'];
    delete process.env['GOGC'];

    // Act
    const nats = await startLocalNats(infraPaths(process.env), { storeDir, name: 'nats-go-env-test' });
    try {
      // Assert
      const env = environOf(nats.proc.child.pid!);
      expect(env['GOMAXPROCS']).toBe('1');
      expect(env['GOGC']).toBe('400');
      expect(nats.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await nats.proc.stop(5_000);
      rmSync(storeDir, { recursive: true, force: true });
      for (const [k, v] of Object.entries(before)) if (v !== undefined) process.env[k] = v;
    }
  }, 30_000);
});
