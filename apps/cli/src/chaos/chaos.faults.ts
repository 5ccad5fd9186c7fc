import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { CONSUMERS, STREAMS, SUBJECTS } from '@inviteflow/contracts';
import { pipelineStatus } from '@inviteflow/messaging';
import type { RunningCluster } from '../cluster/cluster';
import type { ClusterEvent } from '../cluster/cluster.events';
import type { ServiceName } from '../cluster/service-catalog';
import type { ChaosInfra } from './chaos.infra';
import { poisonMail } from './chaos.mail';
import type { SmtpDriver } from './smtp.driver';
import { cliGrpcEnv } from '../cluster/cluster-grpc';

export const SERVICE_FAULTS = ['ingest', 'parser', 'identity', 'appointment', 'outbound-mail'] as const;
export const FAULTS = [...SERVICE_FAULTS, 'nats-server', 'poison', 'slow-parser'] as const;
export type FaultName = (typeof FAULTS)[number];

/** What a fault needs to act on the running system. */
export interface FaultContext {
  readonly root: string;
  readonly cluster: RunningCluster;
  readonly infra: ChaosInfra;
  readonly driver: SmtpDriver;
  readonly run: string;
  readonly organizer: string;
  readonly attendee: string;
  readonly session: () => { js: JetStreamClient; jsm: JetStreamManager };
  /** Resolves with the first runner event after `since` that `match` accepts. */
  readonly nextEvent: (since: number, match: (e: ClusterEvent) => boolean, timeoutMs: number) => Promise<number>;
  /** How long the slow parser stays stopped. */
  readonly stallMs: number;
  readonly say: (line: string) => void;
}

/** When the fault was injected, when the part was back (restart or resume), and what was seen. */
export interface FaultEffect {
  readonly injectedAt: number;
  readonly backAt: number | null;
  readonly detail: Record<string, unknown>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const RESTART_TIMEOUT_MS = 60_000;
/** The stalled-parser check runs `inviteflow status --max-backlog-age 1s`. */
const STATUS_MAX_AGE_S = 1;

export function injectFault(name: FaultName, ctx: FaultContext): Promise<FaultEffect> {
  switch (name) {
    case 'nats-server': return killNats(ctx);
    case 'poison': return injectPoison(ctx);
    case 'slow-parser': return stallParser(ctx);
    default: return killService(name, ctx);
  }
}

/** kill -9 from outside (as the OOM killer would); the cluster runner must notice and restart it. */
async function killService(name: ServiceName, ctx: FaultContext): Promise<FaultEffect> {
  const pid = ctx.cluster.processes.get(name)?.child.pid;
  const injectedAt = Date.now();
  if (pid) process.kill(pid, 'SIGKILL');
  ctx.say(`fault: kill -9 ${name} (pid ${pid})`);
  const backAt = await ctx.nextEvent(injectedAt, (e) => e.kind === 'ready' && e.service === name, RESTART_TIMEOUT_MS).catch(() => null);
  return { injectedAt, backAt, detail: { pid, restartedBy: 'cluster runner (restart.policy.ts)' } };
}

/**
 * kill -9 nats-server, then start it again on its port and JetStream store after 1 s (the
 * runner does not supervise infrastructure; in Kubernetes the NATS StatefulSet does this).
 */
async function killNats(ctx: FaultContext): Promise<FaultEffect> {
  const pid = ctx.infra.natsPid();
  const injectedAt = Date.now();
  await ctx.infra.killNats();
  ctx.say(`fault: kill -9 nats-server (pid ${pid}); restarting it in 1 s on the same port and store`);
  await sleep(1000);
  await ctx.infra.restartNats();
  return { injectedAt, backAt: Date.now(), detail: { pid, restartedBy: 'chaos (as the NATS StatefulSet would)', store: 'JetStream file store (-sd)' } };
}

/**
 * Two poisons: a mail whose calendar is not iCalendar (the parser must record an outcome for it:
 * mail.rejected.v1 or mail.ignored.v1), and bytes on mail.received.v1 that are no MailReceived
 * (EVENT_UNDECODABLE, not retryable: one dead letter). Neither may hold up the mail behind it.
 */
async function injectPoison(ctx: FaultContext): Promise<FaultEffect> {
  const injectedAt = Date.now();
  const mail = await ctx.driver.sendOne(poisonMail(ctx.run, ctx.organizer, ctx.attendee));
  await ctx.session().js.publish(SUBJECTS.mailReceivedV1, new TextEncoder().encode('not a protobuf MailReceived \u0000\u00ff'), { msgID: `chaos-${ctx.run}-poison-event` });
  ctx.say(`fault: poison mail (SMTP ${mail.accepted ? '250' : 'not accepted'}) and an undecodable mail.received.v1 event`);
  return { injectedAt, backAt: injectedAt, detail: { poisonMailAccepted: mail.accepted } };
}

/**
 * A parser slower than the arrival rate, at its extreme: SIGSTOP (it takes nothing) for
 * `stallMs`, then SIGCONT. Meanwhile the backlog and its age are sampled, and
 * `inviteflow status --max-backlog-age` is run as an alerting cron job would run it.
 */
async function stallParser(ctx: FaultContext): Promise<FaultEffect> {
  const pid = ctx.cluster.processes.get('parser')?.child.pid;
  const injectedAt = Date.now();
  if (pid) process.kill(pid, 'SIGSTOP');
  ctx.say(`fault: SIGSTOP parser (pid ${pid}) for ${(ctx.stallMs / 1000).toFixed(0)} s`);
  let maxPending = 0, maxAgeMs = 0;
  let statusCheck: Promise<Record<string, unknown>> | undefined;
  let statusResult: Record<string, unknown> | undefined;
  try {
    // Stopped for at least `stallMs` and until the status check has answered: the backlog's age
    // only grows meanwhile, so the check must see it over its threshold (no race with SIGCONT).
    while (Date.now() - injectedAt < ctx.stallMs || (statusCheck && !statusResult)) {
      await sleep(500);
      const s = await parserBacklog(ctx);
      maxPending = Math.max(maxPending, s.pending);
      maxAgeMs = Math.max(maxAgeMs, s.ageMs ?? 0);
      if (!statusCheck && (s.ageMs ?? 0) > STATUS_MAX_AGE_S * 1500) {
        statusCheck = runStatusCli(ctx, STATUS_MAX_AGE_S).then((r) => (statusResult = r));
      }
    }
  } finally {
    if (pid) process.kill(pid, 'SIGCONT');
  }
  const resumedAt = Date.now();
  ctx.say(`fault: SIGCONT parser; backlog peaked at ${maxPending} messages, oldest ${(maxAgeMs / 1000).toFixed(1)} s`);
  const drainedAt = await untilDrained(ctx, 120_000);
  return {
    injectedAt, backAt: resumedAt,
    detail: { pid, stalledMs: resumedAt - injectedAt, backlogPeak: maxPending, oldestPendingAgePeakMs: maxAgeMs, drainMs: drainedAt === null ? null : drainedAt - resumedAt, statusCheck: statusResult ?? { command: 'not run: the backlog never got older than the threshold' } },
  };
}

async function parserBacklog(ctx: FaultContext): Promise<{ pending: number; ageMs: number | null }> {
  const s = await pipelineStatus(ctx.session().jsm, { streams: [STREAMS.mail.name] });
  const c = s.consumers.find((x) => x.name === CONSUMERS.parser.durable);
  return { pending: (c?.numPending ?? 0) + (c?.numAckPending ?? 0), ageMs: c?.oldestPendingAgeMs ?? null };
}

async function untilDrained(ctx: FaultContext, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await parserBacklog(ctx)).pending === 0) return Date.now();
    await sleep(250);
  }
  return null;
}

/** The real CLI, as a cron job runs it: its exit code and the backlog age it printed. */
function runStatusCli(ctx: FaultContext, maxAgeSeconds: number): Promise<Record<string, unknown>> {
  const args = [join(ctx.root, 'dist/apps/cli/main.js'), 'status', '--json', '--max-backlog-age', `${maxAgeSeconds}s`];
  return new Promise((resolve) => {
    const env = {
      ...process.env, INVITEFLOW_NATS_URL: ctx.infra.natsUrl(),
      INVITEFLOW_APPOINTMENT_GRPC: ctx.cluster.endpoints.appointmentGrpc, INVITEFLOW_OUTBOUND_GRPC: ctx.cluster.endpoints.outboundGrpc,
      ...cliGrpcEnv(ctx.cluster.grpc), // the cluster's CLI credential (issue 15 §2)
      // The run's NATS operator key, as an operator's shell would hold it.
      ...(ctx.infra.natsCredentials ? { INVITEFLOW_NATS_NKEY_SEED_FILE: ctx.infra.natsCredentials.seedFile('cli') } : {}),
    };
    execFile(process.execPath, args, { env, timeout: 30_000 }, (err, stdout, stderr) => {
      const exitCode = err ? Number((err as { code?: number }).code ?? -1) : 0;
      const failure = err && typeof (err as { code?: unknown }).code !== 'number' ? { failure: `${err.message.split('\n')[0]} ${stderr.slice(0, 300)}` } : {};
      let parserAgeMs: number | null = null;
      try {
        const parsed = JSON.parse(stdout) as { consumers?: Array<{ name: string; oldestPendingAgeMs: number | null }> };
        parserAgeMs = parsed.consumers?.find((c) => c.name === CONSUMERS.parser.durable)?.oldestPendingAgeMs ?? null;
      } catch {
        // Reported as null below: the exit code still says what a cron job would see.
      }
      resolve({ command: `inviteflow status --max-backlog-age ${maxAgeSeconds}s`, exitCode, parserOldestPendingAgeMs: parserAgeMs, ...failure });
    });
  });
}
