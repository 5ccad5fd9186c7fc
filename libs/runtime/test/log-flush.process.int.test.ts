// The default stdout sink buffers lines (log.destination.ts); these run a real child process
// that logs and then ends in each way a service can end, and check every line came out, in order.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleFixture } from './fixture.bundle';

const ROOT = resolve(__dirname, '../../..');
const outDir = mkdtempSync(join(tmpdir(), 'runtime-log-fixture-'));
const bundle = join(outDir, 'log-exit.cjs');

beforeAll(() => bundleFixture('log-exit.fixture.ts', bundle));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

type Line = Record<string, unknown>;

interface Ended {
  readonly code: number | null;
  readonly lines: Line[];
  readonly stderr: string;
}

/** Runs the fixture to its end; resolves on 'close', once stdout has been read to the end. */
function runToEnd(env: Record<string, string>): Promise<Ended> {
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env['PATH'] ?? '', NODE_PATH: join(ROOT, 'node_modules'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done) =>
    child.on('close', (code) => {
      const lines = stdout.split('\n').filter((raw) => raw.startsWith('{')).map((raw) => JSON.parse(raw) as Line);
      done({ code, lines, stderr });
    }),
  );
}

const numbered = (lines: Line[]) => lines.filter((line) => typeof line['i'] === 'number').map((line) => line['i']);
const upTo = (count: number) => Array.from({ length: count }, (_, i) => i);

describe('the buffered stdout log sink', () => {
  test('When a process logs and calls process.exit at once, then every line is written, in order', async () => {
    const ended = await runToEnd({ FIXTURE_END: 'exit', FIXTURE_LINES: '200' });

    expect(ended.code).toBe(3);
    expect(numbered(ended.lines)).toEqual(upTo(200));
    expect(ended.lines[0]).toMatchObject({ service: 'log-fixture', level: 'info', token: '[REDACTED]', msg: 'line 0' });
  });

  test('When a process logs and its event loop runs dry, then every line is written', async () => {
    const ended = await runToEnd({ FIXTURE_END: 'natural', FIXTURE_LINES: '30' });

    expect(ended.code).toBe(0);
    expect(numbered(ended.lines)).toEqual(upTo(30));
  });

  test('When an uncaught exception ends the process, then the lines before it are written', async () => {
    const ended = await runToEnd({ FIXTURE_END: 'throw', FIXTURE_LINES: '30' });

    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain('fixture crashed');
    expect(numbered(ended.lines)).toEqual(upTo(30));
  });

  test('When runService catches a crash, then the earlier lines come before its fatal line', async () => {
    const ended = await runToEnd({ FIXTURE_END: 'crash-handled', FIXTURE_LINES: '30' });

    expect(ended.code).toBe(1);
    expect(numbered(ended.lines)).toEqual(upTo(30));
    expect(ended.lines.at(-1)).toMatchObject({ level: 'fatal', code: 'UNCAUGHT_EXCEPTION', msg: 'uncaught exception' });
  });

  test('When LOG_SYNC=true, then lines are written at once and still all there', async () => {
    const ended = await runToEnd({ FIXTURE_END: 'exit', FIXTURE_LINES: '20', LOG_SYNC: 'true' });

    expect(ended.code).toBe(3);
    expect(numbered(ended.lines)).toEqual(upTo(20));
  });

  test('When a process logs one line and stays up, then the line comes out without waiting for its exit', async () => {
    const child = spawn(process.execPath, [bundle], {
      env: { PATH: process.env['PATH'] ?? '', NODE_PATH: join(ROOT, 'node_modules'), FIXTURE_END: 'quiet' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const first = await new Promise<string>((done) => child.stdout.setEncoding('utf8').once('data', (chunk: string) => done(chunk)));

      expect(JSON.parse(first.trim())).toMatchObject({ msg: 'waiting' });
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
