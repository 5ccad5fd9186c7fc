import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@inviteflow/infra';
import { eventually } from './cluster.harness';

// `./dev chaos`, smoke-sized (issue 14 §3): the built CLI runs its own cluster (own
// nats-server with its JetStream file store; the run's MongoDB from MONGO_URL), sends a few
// dozen distinct invitations, SIGKILLs the parser once from outside, and the cluster runner
// must bring it back. Asserted: the report's shape and that nothing was lost or duplicated;
// never its timings (those are the full run's figures, not a test's).
const root = findWorkspaceRoot(__dirname);

interface Figures {
  fault: string; sent: number; acceptedBySmtp: number; notAccepted: number; applied: number; storedOnce: number;
  duplicated: number; lost: number; eventLost: number; deadLettered: number; smtpTransient4xx: number; smtpConnectionErrors: number;
  restartMs: number | null; recoveryMs: number | null; detail: Record<string, unknown>;
}

function runChaos(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'dist/apps/cli/main.js'), 'chaos', ...args], { env: process.env, timeout: 420_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

describe('./dev chaos, smoke-sized', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inviteflow-chaos-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('Given a load of distinct invitations, 1 in 6 with a file past the inline limit, When the parser is killed with SIGKILL mid-load, Then the runner restarts it and every invitation SMTP accepted is applied exactly once', async () => {
    // Arrange
    const reportFile = join(dir, 'chaos.json');

    // Act
    // 1 in 6 with a 300 KiB file: those go through the raw-mail object store when the parser dies.
    const run = await runChaos(['--faults', 'parser', '--invitations', '24', '--rate', '8', '--max-minutes', '6', '--attachment-kb', '300', '--attachment-every', '6', '--report', reportFile]);

    // Assert: the exit code says no loss and no duplicate; the report says the same per fault
    expect({ code: run.code, stderr: run.stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { settings: Record<string, unknown>; rawMail: Record<string, number>; faults: Figures[]; totals: Record<string, number>; skipped: string[]; runnerEvents: string[]; ok: boolean };
    expect(report.ok).toBe(true);
    expect(report.settings['attachment']).toEqual({ kb: 300, every: 6 });
    // The 8 invitations with a file (numbers 0, 6, … 42) are at least 8 objects (a send the client
    // retried is stored again); killing the parser cuts off no write, so no chunks are left that
    // no object names.
    expect(report.rawMail).toEqual({ objects: expect.any(Number), unnamedChunkSets: 0, unnamedChunks: 0 });
    expect(report.rawMail['objects']).toBeGreaterThanOrEqual(8);
    expect(report.skipped).toEqual([]);
    expect(report.faults.map((f) => f.fault)).toEqual(['none', 'parser']);
    for (const f of report.faults) {
      expect(f).toEqual(expect.objectContaining({
        sent: 24, acceptedBySmtp: 24, notAccepted: 0, applied: 24, storedOnce: 24, duplicated: 0, lost: 0, eventLost: 0, deadLettered: 0,
        smtpTransient4xx: expect.any(Number), smtpConnectionErrors: expect.any(Number),
      }));
    }
    const killed = report.faults[1]!;
    expect(killed.restartMs).toEqual(expect.any(Number));
    expect(killed.recoveryMs).toEqual(expect.any(Number));
    expect(killed.detail).toEqual(expect.objectContaining({ restartedBy: expect.stringContaining('cluster runner') }));
    expect(report.totals).toEqual(expect.objectContaining({ sent: 48, acceptedBySmtp: 48, applied: 48, lost: 0, eventLost: 0, duplicated: 0 }));
    // ... and the runner said what it did, as `./dev up` prints it
    expect(report.runnerEvents).toEqual(expect.arrayContaining([
      expect.stringMatching(/^parser +crashed +signal SIGKILL; restart 1 in 1\.0 s/),
    ]));
    expect(run.stdout).toMatch(/^parser +\d+ +24 +24 +0 +0 +0 +0 /m);
  }, 480_000);

  test('When a run is interrupted with SIGINT, then it stops its cluster and exits 130', async () => {
    // Arrange: a run long enough to be interrupted in its baseline phase.
    const child = spawn(process.execPath, [join(root, 'dist/apps/cli/main.js'), 'chaos', '--faults', 'parser', '--invitations', '400', '--rate', '4', '--report', join(dir, 'interrupted.json')], { env: process.env });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const natsUrl = await eventually('the baseline phase', 120_000, async () =>
      (/phase baseline/.test(stdout) ? /infrastructure: NATS (nats:\/\/[^\s]+)/.exec(stdout)?.[1] : undefined));
    const services = processesWithEnv(`NATS_URL=${natsUrl}`);
    expect(services.length).toBeGreaterThanOrEqual(5);

    // Act
    child.kill('SIGINT');
    const code = await exited;

    // Assert: every service of the run is gone.
    expect(code).toBe(130);
    expect(stdout).toContain('interrupted: stopping');
    expect(services.filter(isRunning)).toEqual([]);
  }, 180_000);
});

/** Pids of the processes whose environment holds `entry` (/proc/<pid>/environ). */
function processesWithEnv(entry: string): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry);
    } catch {
      return false;
    }
  }).map(Number);
}

function isRunning(pid: number): boolean {
  try {
    // A zombie still has a /proc entry; its state is Z.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
