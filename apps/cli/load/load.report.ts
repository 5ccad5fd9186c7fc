// reports/load.json: per phase the throughput, SMTP 250 → diary latency, CPU per invitation per
// process, memory; the run's stored meetings and machine; and the issue 14 targets, each with
// its measured value and pass / miss.
import type { ProfileSummary } from './cpu-profile';
import type { PhaseResult } from './load.phases';

export const SERVICES = ['ingest', 'parser', 'identity', 'appointment', 'outbound-mail'] as const;

/**
 * `./dev load` itself (the SMTP client and the event watcher; with a cluster of its own also the
 * runner that copies the services' logs): it shares the machine's cores with the cluster, so
 * the machine's budget per invitation is everything together (`allProcesses`).
 */
export const LOAD_GENERATOR = 'load-generator';

export interface PhaseFigures {
  name: string;
  plan: PhaseResult['plan'];
  invitations: { sent: number; accepted: number; applied: number; lost: number; refused: PhaseResult['refused'] };
  acceptedPerSecond: number;
  appliedPerSecond: number;
  latencyMs: { count: number; p50: number; p90: number; p99: number; max: number };
  cpuMsPerInvitation: Record<string, number> & { fiveServices: number; allProcesses: number };
  /**
   * Context switches per invitation, each process's threads together (voluntary + involuntary):
   * every hop an invitation makes wakes a process, and on a virtual machine a wake-up is dear.
   */
  contextSwitchesPerInvitation: Record<string, number> & { allProcesses: number };
  /** read- and write-like system calls per invitation per process: each NATS or MongoDB message sent is a write, unless batched. */
  syscallsPerInvitation: Record<string, { reads: number; writes: number }>;
  memoryMiB: Record<string, { peakRss: number; hwm: number }>;
  series: { acceptedPerSecond: number[]; appliedPerSecond: number[] };
  /** All cores over the phase: the share busy, and the share the hypervisor gave to other guests (steal). */
  machine: PhaseResult['machine'];
  drained: boolean;
}

export interface Target {
  name: string;
  target: string;
  measured: number | null;
  unit: string;
  pass: boolean;
}

export interface LoadReport {
  when: string;
  cluster: { kind: 'own' | 'attached'; smtp: string; backend: string };
  machine: { cores: number; model: string; loadavgAtStart: number[]; loadavgAtEnd: number[]; note: string };
  storedMeetings: { atStart: number; preloaded: number; atEnd: number };
  /** What was sent besides the plain invitation: every `every`-th one with a file of `kb` KiB. */
  invitations: { attachment: { kb: number; every: number } | null };
  phases: PhaseFigures[];
  targets: Target[];
  ok: { zeroLoss: boolean; targetsMet: boolean };
  profile?: { why: string; phase: string; services: ProfileSummary[] };
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function phaseFigures(p: PhaseResult): PhaseFigures {
  const sorted = [...p.latenciesMs].sort((a, b) => a - b);
  const per = (ms: number): number => (p.accepted ? r3(ms / p.accepted) : 0);
  const cpu = Object.fromEntries(Object.entries(p.cpuMs).map(([k, v]) => [k, per(v)]));
  const five = SERVICES.reduce((sum, s) => sum + (p.cpuMs[s] ?? 0), 0);
  const all = Object.values(p.cpuMs).reduce((sum, ms) => sum + ms, 0);
  const names = new Set([...Object.keys(p.peakRssMiB), ...Object.keys(p.hwmMiB)]);
  return {
    name: p.name, plan: p.plan,
    invitations: { sent: p.sent, accepted: p.accepted, applied: p.applied, lost: p.accepted - p.applied, refused: p.refused },
    acceptedPerSecond: p.lastAcceptedMs ? r1((p.accepted * 1000) / p.lastAcceptedMs) : 0,
    appliedPerSecond: p.lastAppliedMs ? r1((p.applied * 1000) / p.lastAppliedMs) : 0,
    latencyMs: { count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? 0 },
    cpuMsPerInvitation: { ...cpu, fiveServices: per(five), allProcesses: per(all) },
    contextSwitchesPerInvitation: switchesPerInvitation(p),
    syscallsPerInvitation: Object.fromEntries(Object.entries(p.syscalls).map(([name, c]) => [name, { reads: p.accepted ? r1(c.reads / p.accepted) : 0, writes: p.accepted ? r1(c.writes / p.accepted) : 0 }])),
    memoryMiB: Object.fromEntries([...names].map((n) => [n, { peakRss: p.peakRssMiB[n] ?? 0, hwm: p.hwmMiB[n] ?? 0 }])),
    series: { acceptedPerSecond: p.acceptedPerSecond, appliedPerSecond: p.appliedPerSecond },
    machine: p.machine,
    drained: p.drained,
  };
}

function switchesPerInvitation(p: PhaseResult): PhaseFigures['contextSwitchesPerInvitation'] {
  const per = (n: number): number => (p.accepted ? r1(n / p.accepted) : 0);
  const each = Object.entries(p.contextSwitches).map(([name, s]) => [name, s.voluntary + s.involuntary] as const);
  return { ...Object.fromEntries(each.map(([name, n]) => [name, per(n)])), allProcesses: per(each.reduce((sum, [, n]) => sum + n, 0)) };
}

/** The issue 14 targets against the phases that measure them (absent phase: measured null, miss). */
export function targets(phases: PhaseFigures[]): Target[] {
  const flat = phases.find((p) => p.plan.kind === 'flat');
  const at50 = phases.find((p) => p.plan.kind === 'rate' && p.plan.perSecond === 50);
  const worstMem = Math.max(0, ...phases.flatMap((p) => SERVICES.map((s) => p.memoryMiB[s]?.peakRss ?? 0)));
  const t = (name: string, target: string, measured: number | null, unit: string, pass: (v: number) => boolean): Target =>
    ({ name, target, measured, unit, pass: measured !== null && pass(measured) });
  return [
    t('applied flat out', '>= 500 invitations/s', flat?.appliedPerSecond ?? null, 'invitations/s', (v) => v >= 500),
    t('CPU per invitation, five services (flat out)', '<= 1.0 ms', flat?.cpuMsPerInvitation.fiveServices ?? null, 'ms', (v) => v <= 1.0),
    t('SMTP 250 → diary p99 at 50/s', '<= 250 ms', at50?.latencyMs.p99 ?? null, 'ms', (v) => v <= 250),
    t('resident memory per service (peak, any phase)', '<= 150 MiB', phases.length ? worstMem : null, 'MiB', (v) => v <= 150),
  ];
}
