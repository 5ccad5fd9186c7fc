// What a process spent, from its own counters in /proc (proc(5)): CPU as utime + stime
// (fields 14 and 15 of /proc/<pid>/stat, in clock ticks), memory as VmRSS / VmHWM from
// /proc/<pid>/status, context switches from each thread's status, system calls from
// /proc/<pid>/io; and the whole machine's busy and stolen time from /proc/stat. Linux only, as
// the local cluster is.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** Clock ticks per second (sysconf(_SC_CLK_TCK)); 100 on every Linux this runs on. */
export const CLOCK_TICKS = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A watched process: a service or a piece of infrastructure. */
export interface Watched {
  name: string;
  pid: number;
}

export interface ProcSample {
  cpuMs: number;
  /** Context switches so far, summed over its threads: voluntary (it waited: a socket read, a timer) and involuntary (preempted). Read by sampleAll only. */
  contextSwitches?: { voluntary: number; involuntary: number };
  /** read(2)- and write(2)-like system calls so far (syscr, syscw of /proc/<pid>/io): every socket message sent or taken. Read by sampleAll only. */
  syscalls?: { reads: number; writes: number };
  rssMiB: number;
  hwmMiB: number;
}

/** CPU ms so far and memory now (and its context switches and I/O calls, if asked); undefined when the process is gone. */
export function sample(pid: number, detail = false): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields are counted after its closing ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      cpuMs: (ticks * 1000) / CLOCK_TICKS, rssMiB: statusField(status, 'VmRSS') / 1024, hwmMiB: statusField(status, 'VmHWM') / 1024,
      ...(detail ? { contextSwitches: threadSwitches(pid), syscalls: ioCalls(pid) } : {}),
    };
  } catch {
    return undefined;
  }
}

function ioCalls(pid: number): ProcSample['syscalls'] {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    return { reads: statusField(io, 'syscr'), writes: statusField(io, 'syscw') };
  } catch {
    return undefined; // not ours to read (another user's process)
  }
}

function statusField(status: string, key: string): number {
  return Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
}

/** /proc/<pid>/status counts the main thread's switches only; a Go or JVM process works on many. */
function threadSwitches(pid: number): NonNullable<ProcSample['contextSwitches']> {
  const total = { voluntary: 0, involuntary: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      total.voluntary += statusField(status, 'voluntary_ctxt_switches');
      total.involuntary += statusField(status, 'nonvoluntary_ctxt_switches');
    } catch {
      // The thread ended between readdir and read; its switches go with it.
    }
  }
  return total;
}

export function sampleAll(watched: readonly Watched[]): Map<string, ProcSample | undefined> {
  return new Map(watched.map((w) => [w.name, sample(w.pid, true)]));
}

/** The machine's CPU time counters: all cores together, in clock ticks (the first line of /proc/stat). */
export interface CpuTimes {
  total: number;
  idle: number;
  steal: number;
}

export function cpuTimes(): CpuTimes | undefined {
  try {
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is also counted in user)
    const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number) as [number, number, number, number, number, number, number, number];
    return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
  } catch {
    return undefined;
  }
}

/**
 * Between two readings: the share of all cores' time that was busy, and the share stolen (a
 * virtual CPU wanted to run and the hypervisor ran another guest). Steal is not counted in any
 * process's CPU time; a host that is slow in other ways (a busy sibling hyper-thread, a lower
 * clock) shows as more CPU time per invitation in every process alike (README "Measured").
 */
export function cpuShare(before: CpuTimes | undefined, after: CpuTimes | undefined): { busyPercent: number; stealPercent: number } | null {
  if (!before || !after || after.total <= before.total) return null;
  const total = after.total - before.total;
  const pct = (n: number): number => Math.round((10_000 * n) / total) / 100;
  return { busyPercent: pct(total - (after.idle - before.idle)), stealPercent: pct(after.steal - before.steal) };
}

/** The machine: load averages and cores, as `uptime` and nproc show them. */
export function machine(): { loadavg: number[]; cores: number; model: string } {
  return { loadavg: loadavg().map((l) => Math.round(l * 100) / 100), cores: cpus().length, model: cpus()[0]?.model ?? 'unknown' };
}

/** Processes whose command line holds every one of `parts` (and whose environment has `env`, if given). */
export function findPids(parts: readonly string[], env?: Readonly<Record<string, string>>): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (!parts.every((p) => cmdline.includes(p))) continue;
      if (env && !envMatches(Number(entry), env)) continue;
      found.push(Number(entry));
    } catch {
      // Gone between readdir and read, or not ours to read.
    }
  }
  return found;
}

function envMatches(pid: number, env: Readonly<Record<string, string>>): boolean {
  const vars = new Set(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0'));
  return Object.entries(env).every(([k, v]) => vars.has(`${k}=${v}`));
}
