// Small measuring helpers of the scheduling bench: percentiles, a Prometheus histogram read
// from a service's /metrics, CPU time of a process from /proc, and the JSON report.
// (apps/cli/bench/bench-cluster.ts has a report writer too, but a service may not import the
// CLI's code: lint's module boundaries.)
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface LatencySummary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Nearest-rank percentiles, in the unit given (ms here). */
export function latencySummary(values: number[]): LatencySummary {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
  return { n: s.length, p50: round2(at(50)), p90: round2(at(90)), p99: round2(at(99)), max: round2(s[s.length - 1] ?? NaN) };
}

export interface HistogramReading {
  sum: number;
  count: number;
}

/** One histogram's `_sum` and `_count` as a service's /metrics shows them now. */
export async function readHistogram(healthPort: number, metric: string): Promise<HistogramReading> {
  const text = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
  const value = (suffix: string): number => Number(new RegExp(`^${metric}_${suffix}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { sum: value('sum'), count: value('count') };
}

/** user + system CPU of a process so far, in ms (/proc/<pid>/stat; clock ticks are 100 Hz on Linux). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** user + system CPU of this process so far, in ms. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * The pid of the local MongoDB stand-in listening on `port` (tools/mongo-stand-in, started by
 * the Jest global set-up on a port it chose), or undefined when MongoDB is elsewhere (MONGO_URL
 * names a real one): the stand-in process that holds the listening socket (/proc/net/tcp).
 */
export function standInPid(port: number): number | undefined {
  const inodes = listeningInodes(port);
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('MongoStandIn')) continue;
      if (readdirSync(`/proc/${pid}/fd`).some((fd) => inodes.has(linkOf(`/proc/${pid}/fd/${fd}`)))) return Number(pid);
    } catch {
      // the process ended while we looked, or is not ours to read
    }
  }
  return undefined;
}

function linkOf(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return ''; // closed while we looked
  }
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[3] === '0A' && parseInt(cols[1]!.split(':')[1]!, 16) === port) inodes.add(`socket:[${cols[9]}]`);
    }
  }
  return inodes;
}

