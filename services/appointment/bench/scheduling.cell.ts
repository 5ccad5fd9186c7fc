// One cell of the scheduling bench: N appointment replicas on one database of stored meetings,
// a burst of inbound messages (throughput, CPU, round trips), then a paced stream (latency).
import type { Db } from 'mongodb';
import { SUBJECTS } from '@inviteflow/contracts';
import { publish, type NatsHandle } from '@inviteflow/messaging';
import { outcomeId, type InviteOutcomeDoc } from '../src/data/outcome.repository';
import type { Replica } from './appointment.process';
import { latencySummary, LatencySummary, ownCpuMs, processCpuMs, readHistogram } from './bench.stats';
import { BenchMessage, mixMessage } from './scheduling.workload';

const ROUND_TRIPS = 'inviteflow_appointment_db_round_trips_per_message';
const IN_FLIGHT = 64;
const POLL_MS = 200;
const CHUNK = 1000;

export interface CellSetup {
  db: Db;
  nats: NatsHandle;
  meetings: number;
  processes: number;
  startReplica: () => Promise<Replica>;
  /** Where the run's message counter stands: SEQUENCE and DTSTAMP keep growing across cells. */
  next: { g: number };
  run: string;
  warmup: number;
  burst: number;
  paced: number;
  /** Messages per second of the paced stream; undefined: half of what this cell's burst reached. */
  rate: number | undefined;
  standInPid: number | undefined;
  boundMs: number;
}

export interface BurstResult {
  messages: number;
  seconds: number;
  appliedPerSecond: number;
  /** publish → outcome recorded while the backlog drains: mostly time in the queue. */
  backlogLatencyMs: LatencySummary;
  roundTripsPerMessage: number;
  cpuMsPerMessage: { appointment?: number; benchProcess: number; standIn?: number };
  outcomes: Record<string, Record<string, number>>;
}

export interface PacedResult {
  messages: number;
  ratePerSecond: number;
  latencyMs: LatencySummary;
  roundTripsPerMessage: number;
}

export interface CellResult {
  processes: number;
  /** Stored copies when the burst began and when the cell ended (new REQUESTs add copies). */
  meetingsStored: { atStart: number; atEnd: number };
  burst: BurstResult;
  paced: PacedResult;
}

type Sent = { message: BenchMessage; publishedAt: number };
type Seen = { recordedAt: number; outcome: string };

/**
 * Starts the replicas, warms up, runs the burst and the paced stream, stops the replicas, and
 * removes the copies the cell's new REQUESTs created, so the next cell starts from the same
 * number of stored meetings.
 */
export async function runCell(s: CellSetup): Promise<CellResult> {
  const replicas: Replica[] = [];
  const meetings = s.db.collection('meetings');
  try {
    for (let i = 0; i < s.processes; i++) replicas.push(await s.startReplica());
    await drain(s, await sendAll(s, take(s, s.warmup)));
    const atStart = await meetings.countDocuments();
    const burst = await runBurst(s, replicas);
    const rate = s.rate ?? Math.max(1, Math.round(burst.appliedPerSecond / 2));
    const paced = await runPaced(s, replicas, rate);
    return { processes: s.processes, meetingsStored: { atStart, atEnd: await meetings.countDocuments() }, burst, paced };
  } finally {
    for (const r of replicas) await r.stop();
    await meetings.deleteMany({ uid: { $regex: `^${s.run}-new-` } });
  }
}

async function runBurst(s: CellSetup, replicas: Replica[]): Promise<BurstResult> {
  const messages = take(s, s.burst);
  const rt0 = await roundTrips(replicas);
  const cpu0 = cpuNow(s, replicas);
  const t0 = Date.now();
  const sent = await sendAll(s, messages);
  const seen = await drain(s, sent);
  const cpu1 = cpuNow(s, replicas);
  const rt1 = await roundTrips(replicas);
  const last = Math.max(...[...seen.values()].map((v) => v.recordedAt));
  const seconds = (last - t0) / 1000;
  const per = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined ? undefined : round2((b - a) / messages.length));
  return {
    messages: messages.length, seconds: round2(seconds), appliedPerSecond: Math.round(messages.length / seconds),
    backlogLatencyMs: latencySummary(sent.map((m) => seen.get(key(m.message))!.recordedAt - m.publishedAt)),
    roundTripsPerMessage: round2((rt1.sum - rt0.sum) / Math.max(1, rt1.count - rt0.count)),
    cpuMsPerMessage: {
      ...(cpu0.appointment !== undefined ? { appointment: per(cpu0.appointment, cpu1.appointment) } : {}),
      benchProcess: per(cpu0.bench, cpu1.bench)!,
      ...(cpu0.standIn !== undefined ? { standIn: per(cpu0.standIn, cpu1.standIn) } : {}),
    },
    outcomes: tally(sent, seen),
  };
}

async function runPaced(s: CellSetup, replicas: Replica[], rate: number): Promise<PacedResult> {
  const messages = take(s, s.paced);
  const rt0 = await roundTrips(replicas);
  const sent: Sent[] = [];
  const t0 = performance.now();
  const acks: Promise<unknown>[] = [];
  for (let i = 0; i < messages.length; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sent.push({ message: messages[i]!, publishedAt: Date.now() });
    acks.push(publishOne(s, messages[i]!));
  }
  await Promise.all(acks);
  const seen = await drain(s, sent);
  const rt1 = await roundTrips(replicas);
  return {
    messages: messages.length, ratePerSecond: rate,
    latencyMs: latencySummary(sent.map((m) => seen.get(key(m.message))!.recordedAt - m.publishedAt)),
    roundTripsPerMessage: round2((rt1.sum - rt0.sum) / Math.max(1, rt1.count - rt0.count)),
  };
}

function take(s: CellSetup, count: number): BenchMessage[] {
  return Array.from({ length: count }, () => mixMessage(s.run, s.next.g++, s.meetings));
}

function publishOne(s: CellSetup, m: BenchMessage): Promise<unknown> {
  return publish(s.nats.js, SUBJECTS.inviteParsedV1, m.bytes, { msgId: m.mailId });
}

/** Publishes flat out, IN_FLIGHT at a time, noting when each was handed to NATS. */
async function sendAll(s: CellSetup, messages: BenchMessage[]): Promise<Sent[]> {
  const sent: Sent[] = [];
  for (let i = 0; i < messages.length; i += IN_FLIGHT) {
    const batch = messages.slice(i, i + IN_FLIGHT);
    const stamped = batch.map((message) => ({ message, publishedAt: Date.now() }));
    sent.push(...stamped);
    await Promise.all(batch.map((m) => publishOne(s, m)));
  }
  return sent;
}

/**
 * Waits until every message has its outcome recorded (invite_outcomes, read by exact `_id`s)
 * and returns when each was recorded: the service stamps `recordedAt` as it writes the outcome,
 * after applying the message and just before acknowledging it.
 */
async function drain(s: CellSetup, sent: Sent[]): Promise<Map<string, Seen>> {
  const outcomes = s.db.collection<InviteOutcomeDoc>('invite_outcomes');
  const seen = new Map<string, Seen>();
  const bound = Date.now() + s.boundMs;
  let pending = sent.map((m) => key(m.message));
  while (pending.length > 0) {
    if (Date.now() > bound) throw new Error(`${pending.length} of ${sent.length} messages have no outcome after ${s.boundMs / 1000} s (first: ${pending[0]})`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    for (let i = 0; i < pending.length; i += CHUNK) {
      const docs = await outcomes.find({ _id: { $in: pending.slice(i, i + CHUNK) } }, { projection: { recordedAt: 1, outcome: 1 } }).toArray();
      for (const d of docs) seen.set(d._id, { recordedAt: d.recordedAt.getTime(), outcome: d.outcome });
    }
    pending = pending.filter((id) => !seen.has(id));
  }
  return seen;
}

function key(m: BenchMessage): string {
  return outcomeId(m.mailId, m.uid);
}

function tally(sent: Sent[], seen: Map<string, Seen>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const { message } of sent) {
    const byOutcome = (out[message.kind] ??= {});
    const outcome = seen.get(key(message))!.outcome;
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
  }
  return out;
}

async function roundTrips(replicas: Replica[]): Promise<{ sum: number; count: number }> {
  const readings = await Promise.all(replicas.map((r) => readHistogram(r.healthPort, ROUND_TRIPS)));
  return readings.reduce((a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }), { sum: 0, count: 0 });
}

/** CPU so far: the replicas' own processes (when they have their own), this process, the stand-in. */
function cpuNow(s: CellSetup, replicas: Replica[]): { appointment?: number; bench: number; standIn?: number } {
  const own = replicas.filter((r) => r.pid !== process.pid);
  return {
    ...(own.length > 0 ? { appointment: own.reduce((sum, r) => sum + processCpuMs(r.pid), 0) } : {}),
    bench: ownCpuMs(),
    ...(s.standInPid !== undefined ? { standIn: processCpuMs(s.standInPid) } : {}),
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
