// One load phase: distinct invitations through SMTP (at a fixed rate, or flat out over several
// connections), each timed from its 250 to its appointment.scheduled.v1, with what every
// process spent meanwhile read from its own counters.
import type { NatsConnection } from '@nats-io/transport-node';
import { SUBJECTS } from '@inviteflow/contracts';
import { eventsV1 } from '@inviteflow/proto-gen';
import { buildImipMessage } from '@inviteflow/testing';
import { SmtpDriver, type SendOutcome } from '../src/chaos/smtp.driver';
import { cpuShare, cpuTimes, sample, sampleAll, type CpuTimes, type ProcSample, type Watched } from './proc-stats';
import { LOAD_GENERATOR } from './load.report';

export type PhasePlan = { name: string; kind: 'rate'; perSecond: number; count: number } | { name: string; kind: 'flat'; connections: number; count: number };

export interface PhaseResult {
  name: string;
  plan: PhasePlan;
  sent: number;
  accepted: number;
  applied: number;
  refused: Array<{ uid: string; error?: string }>;
  /** ms from the phase start: the first and last 250, the last applied event. */
  lastAcceptedMs: number;
  lastAppliedMs: number;
  /** SMTP 250 → appointment.scheduled.v1 per applied invitation, ms. */
  latenciesMs: number[];
  /** Per second since the phase start: 250s and applied events. */
  acceptedPerSecond: number[];
  appliedPerSecond: number[];
  cpuMs: Record<string, number>;
  /** Context switches over the phase per process, all its threads. */
  contextSwitches: Record<string, { voluntary: number; involuntary: number }>;
  /** read- and write-like system calls over the phase per process. */
  syscalls: Record<string, { reads: number; writes: number }>;
  peakRssMiB: Record<string, number>;
  hwmMiB: Record<string, number>;
  /** The whole machine over the phase (all cores): busy and stolen shares of its time, null off Linux. */
  machine: { busyPercent: number; stealPercent: number } | null;
  drained: boolean;
}

/** Watches appointment.scheduled.v1 for the run's UIDs: the first event per UID is "applied". */
export class AppliedWatcher {
  readonly applied = new Map<string, number>();

  constructor(nc: NatsConnection, private readonly prefix: string) {
    nc.subscribe(SUBJECTS.appointmentScheduledV1, {
      callback: (err, msg) => {
        if (err) return;
        const uid = eventsV1.AppointmentScheduled.decode(msg.data).uid;
        if (uid.startsWith(this.prefix) && !this.applied.has(uid)) this.applied.set(uid, Date.now());
      },
    });
  }
}

export interface PhaseContext {
  smtp: string;
  run: string;
  associates: string[];
  organizer: string;
  watcher: AppliedWatcher;
  processes: () => Watched[];
  drainTimeoutMs: number;
  say: (m: string) => void;
  /** Every `every`-th invitation (by its number in the run) carries a file of `kb` KiB. */
  attachment?: { kb: number; every: number };
}

export interface LoadMail {
  uid: string;
  raw: Buffer;
  from: string;
  to: string;
}

/** Invitation number `n` of a run: its own UID and half-hour slot, from `organizer` to `to` (also ./dev bench hop-floor's mails). */
export function loadMail(run: string, n: number, organizer: string, to: string, attachment?: { filename: string; bytes: number }): LoadMail {
  const uid = `${run}-${n}`;
  const raw = buildImipMessage({ uid, organizer, attendees: [to], start: new Date(Date.UTC(2027, 0, 4, 8) + n * 1_800_000), durationMinutes: 30, summary: `Load ${n}`, ...(attachment ? { attachment } : {}) });
  return { uid, raw, from: organizer, to };
}

/** The phase's invitations: one UID each, to one existing associate each (round robin), some with a file (--attachment-kb). */
function invitations(ctx: PhaseContext, plan: PhasePlan, offset: number): LoadMail[] {
  return Array.from({ length: plan.count }, (_, i) => {
    const n = offset + i;
    const file = ctx.attachment && n % ctx.attachment.every === 0 ? { filename: `agenda-${n}.pdf`, bytes: ctx.attachment.kb * 1024 } : undefined;
    return loadMail(ctx.run, n, ctx.organizer, ctx.associates[n % ctx.associates.length]!, file);
  });
}

export async function runPhase(ctx: PhaseContext, plan: PhasePlan, offset: number): Promise<PhaseResult> {
  const mails = invitations(ctx, plan, offset);
  const watched = [...ctx.processes(), { name: LOAD_GENERATOR, pid: process.pid }];
  const before = sampleAll(watched);
  const machineBefore = cpuTimes();
  const peaks = new Map<string, number>();
  const sampler = setInterval(() => {
    for (const w of watched) peaks.set(w.name, Math.max(peaks.get(w.name) ?? 0, sample(w.pid)?.rssMiB ?? 0));
  }, 500);
  // Enough connections that the rate holds while a transaction takes up to ~80 ms on a busy
  // machine, below ingest's 20 per client address (SMTP_MAX_CONNECTIONS_PER_IP).
  const connections = plan.kind === 'rate' ? Math.min(16, Math.max(4, Math.ceil(plan.perSecond / 12))) : plan.connections;
  const driver = new SmtpDriver({ smtp: ctx.smtp, connections, retryForMs: 60_000 });
  const t0 = Date.now();
  let outcomes: SendOutcome[];
  try {
    outcomes = plan.kind === 'rate' ? await driver.sendAtRate(mails, plan.perSecond) : await flatOut(driver, mails, plan.connections);
  } finally {
    driver.close();
  }
  const accepted = outcomes.filter((o) => o.accepted);
  ctx.say(`${plan.name}: ${accepted.length}/${mails.length} accepted in ${((Date.now() - t0) / 1000).toFixed(1)} s; waiting for them to be applied`);
  const drained = await drain(ctx, accepted.map((o) => o.uid));
  clearInterval(sampler);
  const after = sampleAll(watched);
  return summarise(plan, t0, outcomes, ctx.watcher.applied, { before, after, peaks, machineBefore, machineAfter: cpuTimes() }, drained);
}

/** Flat out: `connections` senders, each sending its next invitation as soon as the last got its 250. */
export async function flatOut(driver: SmtpDriver, mails: readonly LoadMail[], connections: number): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (next < mails.length) {
      const m = mails[next++]!;
      outcomes.push(await driver.sendOne(m));
    }
  }));
  return outcomes;
}

/** Until every accepted UID is applied, or nothing more arrived for drainTimeoutMs. */
async function drain(ctx: PhaseContext, uids: string[]): Promise<boolean> {
  let seen = -1;
  let progressAt = Date.now();
  for (;;) {
    const done = uids.filter((u) => ctx.watcher.applied.has(u)).length;
    if (done === uids.length) return true;
    if (done !== seen) { seen = done; progressAt = Date.now(); }
    if (Date.now() - progressAt > ctx.drainTimeoutMs) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function summarise(
  plan: PhasePlan, t0: number, outcomes: SendOutcome[], applied: Map<string, number>,
  procs: {
    before: Map<string, ProcSample | undefined>; after: Map<string, ProcSample | undefined>; peaks: Map<string, number>;
    machineBefore: CpuTimes | undefined; machineAfter: CpuTimes | undefined;
  },
  drained: boolean,
): PhaseResult {
  const accepted = outcomes.filter((o) => o.accepted);
  const appliedAt = accepted.map((o) => applied.get(o.uid)).filter((t): t is number => t !== undefined);
  const latencies = accepted.flatMap((o) => { const a = applied.get(o.uid); return a === undefined ? [] : [Math.max(0, a - o.acceptedAt!)]; });
  const seconds = (times: number[]): number[] => {
    const buckets: number[] = [];
    for (const t of times) { const s = Math.floor((t - t0) / 1000); buckets[s] = (buckets[s] ?? 0) + 1; }
    return Array.from(buckets, (v) => v ?? 0);
  };
  const cpuMs: Record<string, number> = {};
  const contextSwitches: PhaseResult['contextSwitches'] = {};
  const syscalls: PhaseResult['syscalls'] = {};
  const hwmMiB: Record<string, number> = {};
  for (const [name, a] of procs.after) {
    const b = procs.before.get(name);
    if (a && b) cpuMs[name] = a.cpuMs - b.cpuMs;
    if (a?.contextSwitches && b?.contextSwitches) {
      contextSwitches[name] = { voluntary: a.contextSwitches.voluntary - b.contextSwitches.voluntary, involuntary: a.contextSwitches.involuntary - b.contextSwitches.involuntary };
    }
    if (a?.syscalls && b?.syscalls) syscalls[name] = { reads: a.syscalls.reads - b.syscalls.reads, writes: a.syscalls.writes - b.syscalls.writes };
    if (a) hwmMiB[name] = round1(a.hwmMiB);
  }
  return {
    name: plan.name, plan, sent: outcomes.length, accepted: accepted.length, applied: appliedAt.length,
    refused: outcomes.filter((o) => !o.accepted).map((o) => ({ uid: o.uid, error: o.lastError })),
    lastAcceptedMs: Math.max(0, ...accepted.map((o) => o.acceptedAt! - t0)), lastAppliedMs: Math.max(0, ...appliedAt.map((t) => t - t0)),
    latenciesMs: latencies, acceptedPerSecond: seconds(accepted.map((o) => o.acceptedAt!)), appliedPerSecond: seconds(appliedAt),
    cpuMs, contextSwitches, syscalls, peakRssMiB: Object.fromEntries([...procs.peaks].map(([k, v]) => [k, round1(v)])), hwmMiB,
    machine: cpuShare(procs.machineBefore, procs.machineAfter), drained,
  };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
