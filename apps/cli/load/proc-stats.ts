// What a process spent, from its own counters in /proc (proc(5)): CPU as utime + stime
// (fields 14 and 15 of /proc/<pid>/stat, in clock ticks) and memory as VmRSS / VmHWM from
// /proc/<pid>/status. Linux only, as the local cluster is.
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
  rssMiB: number;
  hwmMiB: number;
}

/** CPU ms so far and memory now; undefined when the process is gone. */
export function sample(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields are counted after its closing ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { cpuMs: (ticks * 1000) / CLOCK_TICKS, rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

export function sampleAll(watched: readonly Watched[]): Map<string, ProcSample | undefined> {
  return new Map(watched.map((w) => [w.name, sample(w.pid)]));
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
