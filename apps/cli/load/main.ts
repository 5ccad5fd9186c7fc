// `./dev load`: drives the local cluster through SMTP with distinct invitations at fixed rates
// and flat out, and writes reports/load.json and reports/load.html (issue 14 pt 1). Its own
// command, never part of ./dev test (a short smoke run is: apps/cli/test/load-smoke.e2e.int.test.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { infraPaths } from '@inviteflow/infra';
import { summariseProfiles, profilesOf, type ProfileSummary } from './cpu-profile';
import { attachedCluster, natsConnect, ownCluster, type LoadTarget } from './load.cluster';
import { loadHtml } from './load.html';
import { AppliedWatcher, runPhase, type PhaseContext, type PhasePlan } from './load.phases';
import { phaseFigures, SERVICES, targets, type LoadReport, type PhaseFigures } from './load.report';
import { countMeetings, preloadMeetings } from './preload';
import { machine } from './proc-stats';

const USAGE = `usage: ./dev load [--own | --attach] [--rates 50,200] [--seconds 20] [--flat 4000] [--connections 8]
                  [--associates 20] [--preload N] [--no-profile] [--profile-invitations 2000]
                  [--drain-seconds 60] [--report-dir reports] [--domain D]
                  [--attachment-kb N [--attachment-every 10]]`;

interface LoadOptions {
  cluster: 'auto' | 'own' | 'attach';
  rates: number[];
  seconds: number;
  flat: number;
  connections: number;
  associates: number;
  preload: number;
  profile: boolean;
  profileInvitations: number;
  drainSeconds: number;
  reportDir: string;
  domain?: string;
  /** Every `every`-th invitation carries a file of `kb` KiB; undefined: none do. */
  attachment?: { kb: number; every: number };
}

function options(argv: string[]): LoadOptions {
  const { values: v } = parseArgs({
    args: argv, strict: true,
    options: {
      own: { type: 'boolean' }, attach: { type: 'boolean' }, rates: { type: 'string' }, seconds: { type: 'string' }, flat: { type: 'string' },
      connections: { type: 'string' }, associates: { type: 'string' }, preload: { type: 'string' }, 'no-profile': { type: 'boolean' },
      'profile-invitations': { type: 'string' }, 'drain-seconds': { type: 'string' }, 'report-dir': { type: 'string' }, domain: { type: 'string' }, help: { type: 'boolean' },
      'attachment-kb': { type: 'string' }, 'attachment-every': { type: 'string' },
    },
  });
  if (v.help) { process.stdout.write(USAGE + '\n'); process.exit(0); }
  const n = (s: string | undefined, d: number): number => { const x = s === undefined ? d : Number(s); if (!Number.isFinite(x) || x < 0) throw new TypeError(`not a number: ${s}\n${USAGE}`); return x; };
  return {
    cluster: v.own ? 'own' : v.attach ? 'attach' : 'auto',
    rates: (v.rates ?? '50,200').split(',').filter(Boolean).map((r) => n(r, 0)).filter((r) => r > 0),
    seconds: n(v.seconds, 20), flat: n(v.flat, 4000), connections: n(v.connections, 8), associates: Math.max(1, n(v.associates, 20)),
    preload: n(v.preload, 0), profile: !v['no-profile'], profileInvitations: n(v['profile-invitations'], 2000), drainSeconds: n(v['drain-seconds'], 60),
    reportDir: resolve(v['report-dir'] ?? join(infraPaths().root, 'reports')), domain: v.domain,
    ...(n(v['attachment-kb'], 0) > 0 ? { attachment: { kb: n(v['attachment-kb'], 0), every: Math.max(1, n(v['attachment-every'], 10)) } } : {}),
  };
}

async function main(): Promise<number> {
  const opts = options(process.argv.slice(2));
  const t0 = Date.now();
  const say = (m: string): void => void process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${m}\n`);
  const loadAtStart = machine().loadavg;
  const target = await chooseCluster(opts, say);
  // Its own cluster's processes sit in process groups of their own: Ctrl-C must stop them here.
  const interrupted = (): void => { say('interrupted: stopping'); void target.stop().finally(() => process.exit(130)); };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  say(`driving ${target.kind} cluster: SMTP ${target.smtp}; processes ${target.processes().map((p) => `${p.name}=${p.pid}`).join(' ')}`);
  const nc = await natsConnect(target);
  try {
    const run = `load-${Date.now().toString(36)}`;
    const watcher = new AppliedWatcher(nc, run);
    const associates = importDirectory(target, opts.associates, say);
    const ctx: PhaseContext = { smtp: target.smtp, run, associates, organizer: `organizer@partner.example`, watcher, processes: target.processes, drainTimeoutMs: opts.drainSeconds * 1000, say, ...(opts.attachment ? { attachment: opts.attachment } : {}) };
    // Warm-up: one invitation per associate (JIT, connections, caches), not measured. The
    // first also becomes the template of the preloaded meetings.
    await runPhase({ ...ctx, run: `${run}-warm` }, { name: 'warm-up', kind: 'flat', connections: 2, count: associates.length }, 0);
    const preloaded = opts.preload > 0 ? await preload(target, `${run}-warm-0`, `${run}-pre`, opts.preload, say) : 0;
    const atStart = await countMeetings(target.mongoUrl, target.appointmentDb);
    say(`${atStart} stored meetings before the measured phases`);
    const plans: PhasePlan[] = [
      ...opts.rates.map((r) => ({ name: `${r}/s`, kind: 'rate' as const, perSecond: r, count: Math.round(r * opts.seconds) })),
      ...(opts.flat > 0 ? [{ name: `flat out (${opts.connections} connections)`, kind: 'flat' as const, connections: opts.connections, count: opts.flat }] : []),
    ];
    const phases: PhaseFigures[] = [];
    let offset = 0;
    for (const plan of plans) {
      say(`phase ${plan.name}: ${plan.count} invitations`);
      const figures = phaseFigures(await runPhase(ctx, plan, offset));
      offset += plan.count;
      phases.push(figures);
      say(`phase ${plan.name}: applied ${figures.invitations.applied}/${figures.invitations.accepted}, ${figures.appliedPerSecond} applied/s, p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, CPU ${figures.cpuMsPerInvitation.fiveServices} ms/invitation (five services), ${figures.cpuMsPerInvitation.allProcesses} ms all processes`);
    }
    const atEnd = await countMeetings(target.mongoUrl, target.appointmentDb);
    const report: LoadReport = {
      when: new Date().toISOString(),
      cluster: { kind: target.kind, smtp: target.smtp, backend: 'mongo-java-server stand-in (H2 file backend)' },
      machine: { ...pick(machine()), loadavgAtStart: loadAtStart, loadavgAtEnd: machine().loadavg, note: 'Figures are from a shared machine unless said otherwise: compare the load averages with the core count.' },
      storedMeetings: { atStart, preloaded, atEnd },
      invitations: { attachment: opts.attachment ?? null },
      phases, targets: targets(phases),
      ok: { zeroLoss: phases.every((p) => p.invitations.lost === 0 && p.drained), targetsMet: false },
    };
    report.ok.targetsMet = report.targets.every((t) => t.pass);
    if (!report.ok.targetsMet && opts.profile && target.restartServices) {
      report.profile = await profileRun(target, ctx, opts, offset, report, say);
    }
    writeReports(opts.reportDir, report, say);
    return report.ok.zeroLoss ? 0 : 1;
  } finally {
    await nc.close().catch(() => undefined);
    say('stopping');
    await target.stop();
  }
}

async function chooseCluster(opts: LoadOptions, say: (m: string) => void): Promise<LoadTarget> {
  if (opts.cluster !== 'own') {
    const running = attachedCluster(opts.domain ?? 'example.org');
    if (running) return running;
    if (opts.cluster === 'attach') throw new TypeError('no running local cluster found (.data/cluster.json, ./dev up)');
  }
  say('starting a cluster of its own (infrastructure instance load-<pid>, fresh data)');
  return ownCluster(opts.domain ?? 'load.test', say);
}

/** The associates invited, created as the README walk-through does: `inviteflow directory import`. */
function importDirectory(target: LoadTarget, count: number, say: (m: string) => void): string[] {
  const addresses = Array.from({ length: count }, (_, i) => `load-${String(i).padStart(3, '0')}@${target.domain}`);
  const dir = mkdtempSync(join(tmpdir(), 'inviteflow-load-'));
  const file = join(dir, 'directory.json');
  writeFileSync(file, JSON.stringify({ associates: addresses.map((a, i) => ({ name: `Load ${i}`, primaryAddress: a, timeZone: 'Europe/Helsinki', locale: 'en' })), persons: [] }));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, ...target.cliEnv };
    delete env['NODE_OPTIONS'];
    execFileSync(process.execPath, [join(infraPaths().root, 'dist/apps/cli/main.js'), 'directory', 'import', file, '--json'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  say(`directory: ${count} associates (${addresses[0]} …)`);
  return addresses;
}

async function preload(target: LoadTarget, templateUid: string, prefix: string, count: number, say: (m: string) => void): Promise<number> {
  say(`preloading ${count} meetings into ${target.appointmentDb}.meetings`);
  const ms = await preloadMeetings(target.mongoUrl, target.appointmentDb, templateUid, prefix, count, say);
  say(`preloaded ${count} meetings in ${(ms / 1000).toFixed(1)} s`);
  return count;
}

/** A target was missed: the services again under `node --cpu-prof`, one flat-out phase, then the top self-time functions. */
async function profileRun(target: LoadTarget, ctx: PhaseContext, opts: LoadOptions, offset: number, report: LoadReport, say: (m: string) => void): Promise<LoadReport['profile']> {
  const dir = join(opts.reportDir, 'load-profiles');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  say(`targets missed (${report.targets.filter((t) => !t.pass).map((t) => t.name).join('; ')}): profiling the services (node --cpu-prof) over ${opts.profileInvitations} invitations flat out`);
  await target.restartServices!({ NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` });
  const processes = target.processes().filter((p) => (SERVICES as readonly string[]).includes(p.name));
  await runPhase({ ...ctx, smtp: target.smtp, processes: target.processes }, { name: 'profiled flat out', kind: 'flat', connections: opts.connections, count: opts.profileInvitations }, offset);
  await target.restartServices!({});
  const root = infraPaths().root;
  const services: ProfileSummary[] = processes.map((p) => summariseProfiles(p.name, profilesOf(dir, p.pid), root));
  services.sort((a, b) => b.sampledMs - a.sampledMs);
  return { why: `missed: ${report.targets.filter((t) => !t.pass).map((t) => t.name).join('; ')}`, phase: `flat out, ${opts.profileInvitations} invitations, ${opts.connections} connections`, services };
}

function writeReports(dir: string, report: LoadReport, say: (m: string) => void): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'load.json'), JSON.stringify(report, null, 2) + '\n');
  // The UMD build (a global `Chart`) beside the package's CommonJS entry; its exports map hides the path.
  const chartJs = join(dirname(require.resolve('chart.js', { paths: [infraPaths().root] })), 'chart.umd.min.js');
  writeFileSync(join(dir, 'load.html'), loadHtml(report, chartJs));
  for (const t of report.targets) say(`target ${t.name}: ${t.target}, measured ${t.measured ?? '—'} ${t.unit}: ${t.pass ? 'pass' : 'MISS'}`);
  say(`report: ${join(dir, 'load.json')}, ${join(dir, 'load.html')}; every accepted invitation applied: ${report.ok.zeroLoss ? 'yes' : 'NO'}`);
}

function pick(m: ReturnType<typeof machine>): { cores: number; model: string } {
  return { cores: m.cores, model: m.model };
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`load: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
