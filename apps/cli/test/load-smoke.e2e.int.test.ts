import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findWorkspaceRoot } from '@inviteflow/infra';

// `./dev load` in small (issue 14): the built tool (dist/apps/cli/load.js) starts a cluster of
// its own, sends a few dozen distinct invitations through SMTP at a rate and flat out, and
// writes its two reports. Asserted: the reports' shape and that every accepted invitation was
// applied; never its timings (they are the tool's output, not a test's).
const run = promisify(execFile);

type Report = {
  cluster: { kind: string };
  machine: { cores: number; loadavgAtStart: number[] };
  storedMeetings: { atStart: number; preloaded: number; atEnd: number };
  invitations: { attachment: { kb: number; every: number } | null };
  phases: Array<{
    name: string;
    invitations: { sent: number; accepted: number; applied: number; lost: number };
    latencyMs: Record<'count' | 'p50' | 'p90' | 'p99' | 'max', number>;
    cpuMsPerInvitation: Record<string, number> & { fiveServices: number; allProcesses: number };
    contextSwitchesPerInvitation: Record<string, number> & { allProcesses: number };
    syscallsPerInvitation: Record<string, { reads: number; writes: number }>;
    machine: { busyPercent: number; stealPercent: number } | null;
    memoryMiB: Record<string, { peakRss: number; hwm: number }>;
    series: { acceptedPerSecond: number[]; appliedPerSecond: number[] };
  }>;
  targets: Array<{ name: string; target: string; pass: boolean }>;
  ok: { zeroLoss: boolean };
};

describe('./dev load (smoke)', () => {
  const root = findWorkspaceRoot(__dirname);
  const reportDir = mkdtempSync(join(tmpdir(), 'inviteflow-load-smoke-'));
  afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

  test('Given a cluster of its own, when a few dozen invitations go through SMTP at a rate and flat out, 1 in 5 with a file past the parser\'s inline limit, then both reports are written and every accepted one was applied', async () => {
    // Arrange: its own NATS and stand-in, not the run's (the env URLs would point there).
    const bundle = join(root, 'dist/apps/cli/load.js');
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run ./dev build first`);
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['NATS_URL'];
    delete env['MONGO_URL'];

    // Act
    const args = ['--own', '--rates', '10', '--seconds', '2', '--flat', '20', '--connections', '2', '--associates', '2', '--preload', '50',
      '--no-profile', '--drain-seconds', '120', '--report-dir', reportDir,
      // 300 KiB: past PARSER_INLINE_MAX_BYTES (256 KiB), so those go through a parse worker.
      '--attachment-kb', '300', '--attachment-every', '5'];
    const { stdout } = await run(process.execPath, [bundle, ...args], { env, cwd: root, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });

    // Assert: the JSON's shape and zero loss
    const report = JSON.parse(readFileSync(join(reportDir, 'load.json'), 'utf8')) as Report;
    expect(stdout).toContain('every accepted invitation applied: yes');
    expect(report.cluster.kind).toBe('own');
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.loadavgAtStart).toHaveLength(3);
    expect(report.ok.zeroLoss).toBe(true);
    expect(report.invitations).toEqual({ attachment: { kb: 300, every: 5 } });
    expect(report.phases.map((p) => p.name)).toEqual(['10/s', 'flat out (2 connections)']);
    for (const p of report.phases) {
      expect(p.invitations.accepted).toBe(p.invitations.sent);
      expect(p.invitations.applied).toBe(p.invitations.accepted);
      expect(p.invitations.lost).toBe(0);
      expect(Object.keys(p.latencyMs).sort()).toEqual(['count', 'max', 'p50', 'p90', 'p99']);
      expect(p.latencyMs['count']).toBe(p.invitations.applied);
      expect(Object.keys(p.cpuMsPerInvitation)).toEqual(expect.arrayContaining(['ingest', 'parser', 'identity', 'appointment', 'outbound-mail', 'nats-server', 'mongo-stand-in', 'load-generator', 'fiveServices', 'allProcesses']));
      // All processes together: the five services plus nats-server, the stand-in and the generator.
      expect(p.cpuMsPerInvitation.allProcesses).toBeGreaterThan(p.cpuMsPerInvitation.fiveServices);
      expect(Object.keys(p.memoryMiB)).toEqual(expect.arrayContaining(['ingest', 'parser', 'identity', 'appointment', 'outbound-mail', 'nats-server', 'mongo-stand-in', 'load-generator']));
      expect(p.series.appliedPerSecond.reduce((a, b) => a + b, 0)).toBe(p.invitations.applied);
      // Where the hops go: every invitation woke ingest and made it read its SMTP commands and write its replies.
      expect(p.contextSwitchesPerInvitation['ingest']).toBeGreaterThan(0);
      expect(p.contextSwitchesPerInvitation.allProcesses).toBeGreaterThan(p.contextSwitchesPerInvitation['ingest']!);
      expect(p.syscallsPerInvitation['ingest']!.reads).toBeGreaterThan(0);
      expect(p.syscallsPerInvitation['ingest']!.writes).toBeGreaterThan(0);
      expect(Object.keys(p.syscallsPerInvitation)).toEqual(expect.arrayContaining(['parser', 'appointment', 'nats-server', 'mongo-stand-in']));
      expect(p.machine!.busyPercent).toBeGreaterThan(0);
      expect(p.machine!.busyPercent).toBeLessThanOrEqual(100);
      expect(p.machine!.stealPercent).toBeGreaterThanOrEqual(0);
    }
    expect(report.phases[0]!.invitations.sent).toBe(20);
    expect(report.phases[1]!.invitations.sent).toBe(20);
    // The warm-up's 2 meetings and the 50 preloaded were there before; each applied invitation added one.
    expect(report.storedMeetings).toEqual({ atStart: 52, preloaded: 50, atEnd: 52 + 40 });
    expect(report.targets.map((t) => t.name)).toHaveLength(4);
    for (const t of report.targets) expect(typeof t.pass).toBe('boolean');

    // Assert: the HTML page is self-contained (the chart library inlined, nothing fetched)
    const html = readFileSync(join(reportDir, 'load.html'), 'utf8');
    expect(html).toContain('<canvas id="latency">');
    expect(html).toContain('1 in 5 with a 300 KiB file attached');
    expect(html).toContain('<h2>Machine and hops</h2>');
    expect(html).toMatch(/Chart\.js v4/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
  }, 360_000);
});
