// Where a service spent its CPU: the top self-time functions of V8 .cpuprofile files (what
// `node --cpu-prof` writes at exit: a call tree of nodes, the sampled node ids, and the time
// between samples). Self time of a function = the time of the samples that landed in it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  function: string;
  where: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  service: string;
  files: string[];
  sampledMs: number;
  /** Time outside any JS or native frame V8 attributes: (idle) is excluded from the total. */
  top: HotFunction[];
}

/** Sums self time per function over `files` (a service's main thread and its workers). */
export function summariseProfiles(service: string, files: readonly string[], root: string, topN = 12): ProfileSummary {
  const self = new Map<string, { fn: string; where: string; us: number }>();
  let total = 0;
  for (const file of files) {
    const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    p.samples.forEach((id, i) => {
      const frame = byId.get(id)?.callFrame;
      if (!frame || frame.functionName === '(idle)') return;
      const us = Math.max(0, p.timeDeltas[i] ?? 0);
      const where = frame.url ? `${shortUrl(frame.url, root)}:${frame.lineNumber + 1}` : '';
      const key = `${frame.functionName}@${where}`;
      const entry = self.get(key) ?? { fn: frame.functionName || '(anonymous)', where, us: 0 };
      entry.us += us;
      self.set(key, entry);
      total += us;
    });
  }
  const top = [...self.values()].sort((a, b) => b.us - a.us).slice(0, topN).map((e) => ({
    function: e.fn, where: e.where, selfMs: Math.round(e.us / 100) / 10, percent: total ? Math.round((e.us / total) * 1000) / 10 : 0,
  }));
  return { service, files: files.map((f) => relative(root, f)), sampledMs: Math.round(total / 1000), top };
}

/** The .cpuprofile files in `dir` written by process `pid` (its main thread and workers). */
export function profilesOf(dir: string, pid: number): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.split('.')[3] === String(pid)).map((f) => join(dir, f));
}

function shortUrl(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + 1);
  return path.startsWith(root) ? relative(root, path) : path;
}
