// The process-level contract that Kubernetes relies on: SIGTERM → ordered graceful shutdown →
// exit 0; bad config → one JSON line naming the variable → exit 78.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleFixture } from './fixture.bundle';

const ROOT = resolve(__dirname, '../../..');
const outDir = mkdtempSync(join(tmpdir(), 'runtime-fixture-'));
const bundle = join(outDir, 'shutdown-service.cjs');

type Line = Record<string, unknown>;

interface Running {
  readonly child: ChildProcess;
  readonly lines: Line[];
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  waitFor(predicate: (line: Line) => boolean): Promise<Line>;
}

beforeAll(() => bundleFixture('shutdown-service.fixture.ts', bundle));

const children: ChildProcess[] = [];

// A failed assertion must not leave a service running (and holding a port) behind.
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function run(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env['PATH'] ?? '', NODE_PATH: join(ROOT, 'node_modules'), HEALTH_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  let pending = '';
  const lines: Line[] = [];
  const waiters: { predicate: (line: Line) => boolean; resolve: (line: Line) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    // A chunk may end mid-line; keep the tail until its newline arrives.
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    for (const raw of parts.filter((part) => part.startsWith('{"level"'))) {
      const line = JSON.parse(raw) as Line;
      lines.push(line);
      waiters.filter((w) => w.predicate(line)).forEach((w) => w.resolve(line));
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  // 'close', not 'exit': 'exit' can fire before the last stdout chunk has been read.
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const waitFor = (predicate: (line: Line) => boolean) =>
    new Promise<Line>((done) => {
      const seen = lines.find(predicate);
      if (seen !== undefined) done(seen);
      else waiters.push({ predicate, resolve: done });
    });
  return { child, lines, output: () => text, exited, waitFor };
}

const messages = (lines: Line[]) => lines.map((line) => line['msg']);

describe('a service process built on libs/runtime', () => {
  test('When it receives SIGTERM, then it runs every step in order, logs the failed one and exits 0', async () => {
    // Arrange
    const service = run({});
    const started = await service.waitFor((line) => line['msg'] === 'fixture started');
    const ready = await fetch(`http://127.0.0.1:${String(started['healthPort'])}/readyz`);
    expect(ready.status).toBe(200);

    // Act
    service.child.kill('SIGTERM');
    const code = await service.exited;

    // Assert
    expect(code).toBe(0);
    const steps = service.lines.filter((line) => line['msg'] === 'shutdown step started').map((line) => line['step']);
    expect(steps).toEqual(['stop-accepting', 'flaky-close', 'hang', 'health']);
    expect(service.lines.find((line) => line['msg'] === 'shutdown step failed')).toMatchObject({
      service: 'fixture',
      step: 'flaky-close',
      code: 'SHUTDOWN_STEP_FAILED',
    });
    expect(messages(service.lines).at(-1)).toBe('shutdown finished');
  });

  test('When an environment variable is invalid, then it prints one JSON line naming it and exits 78', async () => {
    const service = run({ HEALTH_PORT: 'abc', SHUTDOWN_TIMEOUT_MS: '5' });

    const code = await service.exited;

    expect(code).toBe(78);
    expect(service.lines).toHaveLength(1);
    expect(service.output().trim().split('\n')).toHaveLength(1);
    const [line] = service.lines;
    expect(line).toMatchObject({ level: 'fatal', service: 'fixture', code: 'CONFIG_INVALID' });
    expect(line!['msg']).toContain('HEALTH_PORT="abc" is invalid');
    expect(line!['msg']).toContain('SHUTDOWN_TIMEOUT_MS="5" is invalid');
  });

  test('When PRINT_CONFIG=1, then it prints the config with the secret redacted and exits 0', async () => {
    const service = run({ PRINT_CONFIG: '1', FIXTURE_TOKEN: 's3cret-value' });

    const code = await service.exited;

    expect(code).toBe(0);
    expect(JSON.parse(service.output())).toMatchObject({ FIXTURE_TOKEN: '[REDACTED]', HEALTH_PORT: 0, LOG_LEVEL: 'info' });
    expect(service.output()).not.toContain('s3cret-value');
  });

  test('When main fails after config, then it logs STARTUP_FAILED with the error and exits 1', async () => {
    const service = run({ FIXTURE_FAIL_START: 'true' });

    const code = await service.exited;

    expect(code).toBe(1);
    expect(service.lines).toHaveLength(1);
    expect(service.lines[0]).toMatchObject({
      level: 'fatal',
      code: 'STARTUP_FAILED',
      msg: 'fixture failed to start: cannot reach the directory',
      err: { message: 'cannot reach the directory' },
    });
  });

  test('When a step hangs past SHUTDOWN_TIMEOUT_MS, then it exits 1 naming the stuck step', async () => {
    const service = run({ FIXTURE_HANG_MS: '60000', SHUTDOWN_TIMEOUT_MS: '300' });
    await service.waitFor((line) => line['msg'] === 'fixture started');

    service.child.kill('SIGTERM');
    const code = await service.exited;

    expect(code).toBe(1);
    expect(service.lines.find((line) => line['code'] === 'SHUTDOWN_TIMEOUT')).toMatchObject({ step: 'hang' });
  });

  test('When a second signal arrives during shutdown, then it exits 130 at once', async () => {
    const service = run({ FIXTURE_HANG_MS: '60000' });
    await service.waitFor((line) => line['msg'] === 'fixture started');

    service.child.kill('SIGTERM');
    await service.waitFor((line) => line['step'] === 'hang');
    service.child.kill('SIGINT');
    const code = await service.exited;

    expect(code).toBe(130);
  });
});
