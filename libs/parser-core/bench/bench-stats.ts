// Small, dependency-free statistics for the parser benchmarks.

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarise(ms: readonly number[]): LatencySummary {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((sum, x) => sum + x, 0) / (s.length || 1);
  return { count: s.length, mean: round3(mean), p50: round3(percentile(s, 50)), p90: round3(percentile(s, 90)), p99: round3(percentile(s, 99)), max: round3(s[s.length - 1] ?? NaN) };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function mib(bytes: number): number {
  return Math.round((bytes / (1024 * 1024)) * 10) / 10;
}

/**
 * Resident set size, sampled after every message (process.memoryUsage.rss() is a cheap
 * syscall, unlike memoryUsage()), with the peak overall and per label.
 */
export class RssTracker {
  readonly before = process.memoryUsage.rss();
  private peak = this.before;
  private readonly peakBy = new Map<string, number>();

  sample(label: string): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
    if (rss > (this.peakBy.get(label) ?? 0)) this.peakBy.set(label, rss);
  }

  peakMiB(label?: string): number {
    return mib(label === undefined ? this.peak : (this.peakBy.get(label) ?? 0));
  }
}

/** A fixed-width text table. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
