import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '@inviteflow/testing';
import { parseCalendarText, parseMail, type ParseOutcome } from '../src';
import { baselineParseCalendar, baselineParseMail, type BaselineResult } from './baseline.parser';
import { mib, round3, RssTracker, summarise, table } from './bench-stats';

// Issue 4, "Benchmark": our parseMail against a baseline (mailparser simpleParser with default
// options, then ical.js) over every corpus file, side by side in one process. Rounds alternate
// AB, BA, AB, ... so drift in machine load, JIT state and GC pressure falls on both sides alike.
// BENCH_ROUNDS (per side, default 40) and BENCH_WARMUP (default 5) tune the run.
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 40);
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 5);
const TARGET_RATIO = 2;
const CTX = { mailId: 'bench', envelopeFrom: 'sender@example.net', envelopeTo: ['homer@example.org'] };

interface CorpusFile {
  name: string;
  raw: Buffer;
  isMail: boolean;
}

interface Side {
  name: 'ours' | 'baseline';
  parse(file: CorpusFile): Promise<unknown>;
}

const ours: Side = {
  name: 'ours',
  parse: (f) => (f.isMail ? parseMail(f.raw, CTX) : Promise.resolve(parseCalendarText(f.raw.toString('utf8'), CTX))),
};

const baseline: Side = {
  name: 'baseline',
  // The baseline throws on input it cannot handle; that costs time too, so it is timed, not skipped.
  parse: async (f) => {
    try {
      return f.isMail ? await baselineParseMail(f.raw) : [baselineParseCalendar(f.raw.toString('utf8'))];
    } catch (err) {
      return err;
    }
  },
};

function loadCorpus(): CorpusFile[] {
  return readdirSync(corpusDir())
    .filter((name) => /\.(eml|ics)$/i.test(name))
    .sort()
    .map((name) => ({ name, raw: readFileSync(join(corpusDir(), name)), isMail: /\.eml$/i.test(name) }));
}

interface SideRecord {
  roundMs: number[];
  messageMs: number[];
  perFileMs: Map<string, number>;
}

async function runRound(side: Side, files: CorpusFile[], record: SideRecord | undefined, rss: RssTracker): Promise<void> {
  const roundStart = performance.now();
  for (const file of files) {
    const start = performance.now();
    await side.parse(file);
    const ms = performance.now() - start;
    rss.sample(side.name);
    if (!record) continue;
    record.messageMs.push(ms);
    record.perFileMs.set(file.name, (record.perFileMs.get(file.name) ?? 0) + ms);
  }
  record?.roundMs.push(performance.now() - roundStart);
}

/** The instants each side found, per UID and RECURRENCE-ID: the part both must agree on. */
function oursKeys(outcome: ParseOutcome): string[] {
  if (outcome.kind !== 'parsed') return [];
  return outcome.invites.flatMap((i) => i.events.map((e) => `${i.uid}|${e.recurrenceId}|${e.start?.toISOString() ?? ''}|${e.end?.toISOString() ?? ''}`));
}

function baselineKeys(results: BaselineResult[]): string[] {
  return [...new Set(results.flatMap((r) => r.events.map((e) => `${e.uid}|${e.recurrenceId}|${e.start}|${e.end}`)))];
}

/** Per file: whether both sides produced the same events at the same instants (untimed). */
async function compareResults(files: CorpusFile[]): Promise<{ same: string[]; differing: Array<{ file: string; ours: string; baseline: string }> }> {
  const same: string[] = [];
  const differing: Array<{ file: string; ours: string; baseline: string }> = [];
  for (const file of files) {
    const o = (await ours.parse(file)) as ParseOutcome;
    const b = await baseline.parse(file);
    const oKeys = oursKeys(o).sort();
    const bKeys = b instanceof Error ? [] : baselineKeys(b as BaselineResult[]).sort();
    if (JSON.stringify(oKeys) === JSON.stringify(bKeys) && !(b instanceof Error)) {
      same.push(file.name);
      continue;
    }
    differing.push({
      file: file.name,
      ours: o.kind === 'parsed' ? `${oKeys.length} event(s)` : `${o.kind} ${o.reasonCode}`,
      baseline: b instanceof Error ? `threw: ${b.message.slice(0, 80)}` : `${bKeys.length} event(s)${bKeys.length === oKeys.length && oKeys.length ? ', other instants' : ''}`,
    });
  }
  return { same, differing };
}

/** Throughput ratio over only the files where both sides reached the same result. */
function ratioOver(names: string[], a: SideRecord, b: SideRecord): number {
  const total = (r: SideRecord): number => names.reduce((sum, name) => sum + (r.perFileMs.get(name) ?? 0), 0);
  return round3(total(b) / total(a));
}

function sideReport(record: SideRecord, files: number, rss: RssTracker, name: string) {
  const totalMs = record.roundMs.reduce((a, b) => a + b, 0);
  return {
    messagesPerSecond: Math.round((files * record.roundMs.length * 1000) / totalMs),
    latencyMs: summarise(record.messageMs),
    peakRssMiB: rss.peakMiB(name),
  };
}

function slowestFiles(a: SideRecord, b: SideRecord, rounds: number): Array<{ file: string; oursMs: number; baselineMs: number }> {
  return [...a.perFileMs.entries()]
    .map(([file, ms]) => ({ file, oursMs: round3(ms / rounds), baselineMs: round3((b.perFileMs.get(file) ?? 0) / rounds) }))
    .sort((x, y) => y.oursMs - x.oursMs)
    .slice(0, 8);
}

describe('parser throughput over the corpus', () => {
  test(`Our parseMail against simpleParser + ical.js, ${ROUNDS} interleaved rounds each`, async () => {
    // Arrange
    const files = loadCorpus();
    const rss = new RssTracker();
    for (let i = 0; i < WARMUP; i++) {
      await runRound(ours, files, undefined, rss);
      await runRound(baseline, files, undefined, rss);
    }
    const afterWarmup = process.memoryUsage.rss();
    const records = { ours: { roundMs: [], messageMs: [], perFileMs: new Map() }, baseline: { roundMs: [], messageMs: [], perFileMs: new Map() } } satisfies Record<string, SideRecord>;

    // Act
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? [ours, baseline] : [baseline, ours];
      for (const side of order) await runRound(side, files, records[side.name], rss);
    }
    const after = process.memoryUsage.rss();
    const agreement = await compareResults(files);

    // Assert (the figures themselves are the product; the run only has to be complete)
    const result = {
      when: new Date().toISOString(),
      node: process.version,
      corpus: { files: files.length, eml: files.filter((f) => f.isMail).length, ics: files.filter((f) => !f.isMail).length, bytes: files.reduce((n, f) => n + f.raw.length, 0) },
      rounds: ROUNDS, warmupRounds: WARMUP, order: 'interleaved: AB, BA, AB, ...',
      ours: sideReport(records.ours, files.length, rss, 'ours'),
      baseline: sideReport(records.baseline, files.length, rss, 'baseline'),
      ratio: 0, target: TARGET_RATIO, targetMet: false,
      rssMiB: { before: mib(rss.before), afterWarmup: mib(afterWarmup), after: mib(after), peak: rss.peakMiB() },
      sameNormalisedResult: {
        files: agreement.same.length, of: files.length, ratioOnTheseFiles: ratioOver(agreement.same, records.ours, records.baseline), differing: agreement.differing,
      },
      slowestFilesMeanMs: slowestFiles(records.ours, records.baseline, ROUNDS),
    };
    result.ratio = round3(result.ours.messagesPerSecond / result.baseline.messagesPerSecond);
    result.targetMet = result.ratio >= TARGET_RATIO;
    writeReport(result);
    process.stdout.write(`\n${render(result)}\n`);
    expect(records.ours.messageMs).toHaveLength(files.length * ROUNDS);
    expect(records.baseline.messageMs).toHaveLength(files.length * ROUNDS);
  });
});

function writeReport(result: object): void {
  const dir = join(__dirname, '../../../reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bench-parse.json'), JSON.stringify(result, null, 2) + '\n');
}

type Result = {
  corpus: { files: number };
  rounds: number;
  ours: ReturnType<typeof sideReport>;
  baseline: ReturnType<typeof sideReport>;
  ratio: number;
  targetMet: boolean;
  rssMiB: { before: number; afterWarmup: number; after: number; peak: number };
  sameNormalisedResult: { files: number; of: number; ratioOnTheseFiles: number };
};

function render(r: Result): string {
  const row = (name: string, s: ReturnType<typeof sideReport>): string[] =>
    [name, String(s.messagesPerSecond), s.latencyMs.p50.toFixed(3), s.latencyMs.p99.toFixed(3), s.latencyMs.max.toFixed(3), s.peakRssMiB.toFixed(1)];
  return [
    `parse throughput: ${r.corpus.files} corpus files x ${r.rounds} interleaved rounds per side`,
    table(['side', 'msgs/s', 'p50 ms', 'p99 ms', 'max ms', 'peak RSS MiB'], [row('ours', r.ours), row('baseline', r.baseline)]),
    `ratio ours/baseline: ${r.ratio}x (target ${TARGET_RATIO}x: ${r.targetMet ? 'met' : 'NOT met'})`,
    `RSS MiB: before ${r.rssMiB.before}, after warm-up ${r.rssMiB.afterWarmup}, after ${r.rssMiB.after}, peak ${r.rssMiB.peak}`,
    `same normalised result (events and instants per UID): ${r.sameNormalisedResult.files} of ${r.sameNormalisedResult.of} files; ratio on those alone: ${r.sameNormalisedResult.ratioOnTheseFiles}x`,
    'full figures: reports/bench-parse.json',
  ].join('\n');
}
