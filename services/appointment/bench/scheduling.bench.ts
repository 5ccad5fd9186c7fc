// `./dev bench scheduling` (issue 9, "Benchmark"): inbound iTIP messages applied per second by
// one and by two appointment processes on one durable consumer, p50/p99 publish → outcome,
// MongoDB round trips per message, at 1 000 and 10 000 stored meetings, side by side in one run.
// Per size: a fresh database seeded directly (scheduling.seed.ts), the cost of single round
// trips on it, then one cell per entry of BENCH_SCHEDULING_PROCESSES (default 1,2,2,1: drift over
// the run evens out; scheduling.cell.ts): warm-up, a burst (throughput, CPU and round trips per
// message), a paced stream at half the first cell's burst rate (latency), then means per count.
// MongoDB is the run's (MONGO_URL, else the Jest global set-up's stand-in): point MONGO_URL at a
// real MongoDB to measure that instead. Figures and how to read them: docs/mongo-stand-in.md.
import { loadavg } from 'node:os';
import { connectMongo, MongoConnection } from '@inviteflow/mongo';
import { connectNats, NatsHandle } from '@inviteflow/messaging';
import type { ProvisionedInfra } from '@inviteflow/infra';
import type { RunningGrpcServer } from '@inviteflow/rpc';
import { startInProcess, startPrivateNats, testMongoUrl, uniqueSuffix, writeBenchReport, testNatsAuth } from '@inviteflow/testing';
import { appointmentConfig } from '../src/config';
import { start } from '../src/start';
import { FakeIdentity } from '../test/fake-identity';
import { startFakeIdentityServer } from '../test/fake-identity.server';
import { Replica, startAppointmentProcess } from './appointment.process';
import { standInPid } from './bench.stats';
import { CellResult, runCell } from './scheduling.cell';
import { measureRoundTrips, RoundTripCosts, seedMeetings } from './scheduling.seed';
import { associateAddress, associateId, ASSOCIATE_ZONE, ASSOCIATES, OUR_DOMAIN } from './scheduling.workload';

const list = (name: string, fallback: string): number[] => (process.env[name] ?? fallback).split(',').map(Number);
const SIZES = list('BENCH_SCHEDULING_MEETINGS', '1000,10000');
const PROCESSES = list('BENCH_SCHEDULING_PROCESSES', '1,2,2,1');
const MESSAGES = Number(process.env['BENCH_SCHEDULING_MESSAGES'] ?? 2000);
const PACED = Number(process.env['BENCH_SCHEDULING_PACED'] ?? 300);
const RATE = process.env['BENCH_SCHEDULING_RATE'] ? Number(process.env['BENCH_SCHEDULING_RATE']) : undefined;
/** process: the built service as OS processes (default); in-process: start(config) in this process, sharing its one thread. */
const MODE = process.env['BENCH_SCHEDULING_MODE'] === 'in-process' ? 'in-process' : 'process';
const WARMUP = 100;
const PROBES = 300;
const BOUND_MS = 5 * 60_000;

interface ProcessesSummary {
  cells: number;
  appliedPerSecond: number;
  pacedP50: number;
  pacedP99: number;
  cpuMsPerMessage: number;
  versusFirst: { throughput: number; cpuPerMessage: number };
}

interface SizeResult {
  meetings: number;
  seedSeconds: number;
  roundTripCosts: RoundTripCosts;
  cells: CellResult[];
  /** Per process count, the mean over its cells, and its ratio to the first count's. */
  byProcesses: Record<string, ProcessesSummary>;
}

describe('scheduling agent benchmark', () => {
  let infra: ProvisionedInfra;
  let identityServer: RunningGrpcServer;
  let nats: NatsHandle;
  const run = `bench-${uniqueSuffix()}`;
  const next = { g: 0 };
  const sizes: SizeResult[] = [];
  const mongoUrl = testMongoUrl();
  const standIn = standInPid(Number(new URL(mongoUrl).port || 27017));
  const report = {
    when: new Date().toISOString(), mode: MODE, mongo: standIn ? 'stand-in (mongo-java-server, memory backend)' : `MONGO_URL (${new URL(mongoUrl).host})`,
    knobs: { meetings: SIZES, processes: PROCESSES, burstMessages: MESSAGES, pacedMessages: PACED, pacedRate: RATE ?? 'half the one-process burst rate', warmup: WARMUP, consumerConcurrency: 8 },
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 10) / 10), loadAverageAtEnd: [] as number[], sizes,
  };

  beforeAll(async () => {
    infra = await startPrivateNats('bench-scheduling');
    const directory = new FakeIdentity();
    for (let k = 0; k < ASSOCIATES; k++) directory.addAssociate(associateId(k), { primaryAddress: associateAddress(k), timeZone: ASSOCIATE_ZONE });
    identityServer = await startFakeIdentityServer(directory);
    nats = await connectNats({ servers: [infra.natsUrl], name: 'bench-scheduling', auth: testNatsAuth() });
  }, 120_000);

  afterAll(async () => {
    report.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 10) / 10);
    writeBenchReport('bench-scheduling', report);
    await nats?.drain();
    await identityServer?.shutdown(1000);
    await infra?.stop();
  }, 60_000);

  function replicaStarter(dbName: string): () => Promise<Replica> {
    const env = {
      NATS_URL: infra.natsUrl, MONGO_URL: mongoUrl, MONGO_DB: dbName, IDENTITY_GRPC_ADDR: `127.0.0.1:${identityServer.port}`, OUR_DOMAINS: OUR_DOMAIN,
      // Production logs at info; in-process, those lines would land on this test's stdout.
      LOG_LEVEL: MODE === 'process' ? 'info' : 'warn',
    };
    if (MODE === 'process') return () => startAppointmentProcess(env);
    return async () => {
      const running = await startInProcess({ service: 'appointment', schema: appointmentConfig, start }, env);
      return { pid: process.pid, healthPort: running.ports['health']!, stop: async () => void (await running.stop()) };
    };
  }

  test.each(SIZES)('%i stored meetings, one and two appointment processes', async (meetings) => {
    // Arrange: a database of its own, seeded directly
    const dbName = `bench_scheduling_${meetings}_${uniqueSuffix()}`;
    const mongo: MongoConnection = await connectMongo({ url: mongoUrl, dbName, appName: 'bench-scheduling' });
    try {
      const t0 = performance.now();
      await seedMeetings(mongo.db, meetings);
      const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
      const roundTripCosts = await measureRoundTrips(mongo.db, meetings, PROBES);

      // Act: one cell per process count, on the same stored meetings
      const cells: CellResult[] = [];
      for (const processes of PROCESSES) {
        cells.push(await runCell({
          db: mongo.db, nats, meetings, processes, startReplica: replicaStarter(dbName), next, run,
          warmup: WARMUP, burst: MESSAGES, paced: PACED, rate: RATE ?? (cells[0] ? cells[0].paced.ratePerSecond : undefined),
          standInPid: standIn, boundMs: BOUND_MS,
        }));
      }
      sizes.push({ meetings, seedSeconds, roundTripCosts, cells, byProcesses: byProcesses(cells) });

      // Assert: every message of every cell has its outcome (runCell waits for each), and it was applied
      for (const cell of cells) {
        const applied = Object.values(cell.burst.outcomes).reduce((n, byOutcome) => n + (byOutcome['APPLIED'] ?? 0), 0);
        expect(applied).toBeGreaterThan(MESSAGES * 0.9);
      }
    } finally {
      await mongo.db.dropDatabase();
      await mongo.close();
    }
  }, 30 * 60_000);
});

/** Cells of one process count averaged (the default order 1,2,2,1 evens out drift over the run). */
function byProcesses(cells: CellResult[]): Record<string, ProcessesSummary> {
  const mean = (xs: number[]): number => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
  const counts = [...new Set(cells.map((c) => c.processes))];
  const rows = counts.map((n) => {
    const mine = cells.filter((c) => c.processes === n);
    return {
      n, cells: mine.length, appliedPerSecond: mean(mine.map((c) => c.burst.appliedPerSecond)),
      pacedP50: mean(mine.map((c) => c.paced.latencyMs.p50)), pacedP99: mean(mine.map((c) => c.paced.latencyMs.p99)),
      cpuMsPerMessage: mean(mine.map(totalCpu)),
    };
  });
  const first = rows[0]!;
  const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
  return Object.fromEntries(rows.map(({ n, ...r }) => [`${n} process${n === 1 ? '' : 'es'}`, {
    ...r, versusFirst: { throughput: ratio(r.appliedPerSecond, first.appliedPerSecond), cpuPerMessage: ratio(r.cpuMsPerMessage, first.cpuMsPerMessage) },
  }]));
}

/** CPU per message of the burst, every process that was measured. */
function totalCpu(c: CellResult): number {
  const cpu = c.burst.cpuMsPerMessage;
  return (cpu.appointment ?? 0) + cpu.benchProcess + (cpu.standIn ?? 0);
}
