import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { RAW_MAIL_MAX_AGE_MS } from '@inviteflow/contracts';
import { infraPaths } from '@inviteflow/infra';
import { natsAuthOptions } from '@inviteflow/messaging';
import { identityV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import { cliError, EXIT } from '../cli-output';
import { startCluster, type RunningCluster } from '../cluster/cluster';
import { describeEvent, type ClusterEvent } from '../cluster/cluster.events';
import { EPHEMERAL_PORTS } from '../cluster/service-catalog';
import { identityClient } from '../grpc-clients';
import { FAULTS, type FaultContext, type FaultName } from './chaos.faults';
import { startChaosInfra, type ChaosInfra } from './chaos.infra';
import { runPhase, type PhaseRun } from './chaos.phases';
import { buildReport, faultFigures, reportTable, writeReport } from './chaos.report';
import { rawMailLeftovers } from './chaos.leftovers';
import { AppliedTally, meetingsPerUid } from './chaos.tally';
import { SmtpDriver } from './smtp.driver';

export interface ChaosOptions {
  faults: FaultName[];
  rate: number;
  perPhase: number;
  stallSeconds: number;
  maxMinutes: number;
  reportFile: string;
  /** 1 in `every` invitations carries a file of `kb` KiB (--attachment-kb); undefined: none. */
  attachment?: { kb: number; every: number };
}

const DOMAIN = 'chaos.test';
type Say = (line: string) => void;

/**
 * `./dev chaos`: a cluster of its own on loopback (own nats-server and databases), a baseline
 * phase, then one phase per fault under a steady load of distinct invitations; reports per
 * fault and exits 1 on any lost or duplicated invitation (or a part that never came back).
 */
export async function chaos(opts: ChaosOptions): Promise<number> {
  const started = Date.now();
  const say: Say = (msg) => void process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${msg}\n`);
  const paths = infraPaths();
  const run = randomBytes(3).toString('hex');
  const events: Array<{ at: number; event: ClusterEvent }> = [];
  const infra = await startChaosInfra(paths, run);
  let cluster: RunningCluster | undefined;
  let nc: NatsConnection | undefined;
  // The services run in process groups of their own (the runner kills and restarts them one by
  // one), so neither a Ctrl-C at the terminal nor a signal to this process reaches them: stop
  // the cluster and the infrastructure here, or an interrupted run leaves them all running.
  const interrupted = (): void => {
    say('interrupted: stopping');
    void (async () => {
      await cluster?.stop().catch(() => undefined);
      await infra.stop().catch(() => undefined);
    })().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    say(`infrastructure: NATS ${infra.natsUrl()} (JetStream file store), MongoDB ${infra.mongoUrl.replace(/\/\/[^@/]+@/, '//***@')}`);
    cluster = await startCluster({
      root: paths.root, logDir: join(paths.logDir, `chaos-${run}`),
      settings: { natsUrl: infra.natsUrl(), mongoUrl: infra.mongoUrl, dbPrefix: `chaos_${run}_`, ports: EPHEMERAL_PORTS, acceptDomains: [DOMAIN], logLevel: 'info', natsCredentials: infra.natsCredentials },
      onEvent: (event) => { events.push({ at: Date.now(), event }); say(describeEvent(event)); },
    });
    const auth = infra.natsCredentials ? { mode: 'nkey' as const, seedFile: infra.natsCredentials.seedFile('cli') } : undefined;
    nc = await connect({ servers: infra.natsUrl(), maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'inviteflow-chaos', ...natsAuthOptions(auth) });
    const session = { js: jetstream(nc), jsm: await jetstreamManager(nc) };
    await addAssociate(cluster, `chaos@${DOMAIN}`);
    const ctx = faultContext({ paths, cluster, infra, run, session, events, opts, say });
    return await runAll(opts, ctx, nc, infra, events, say, started);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await nc?.close().catch(() => undefined);
    say('stopping');
    await cluster?.stop();
    await infra.stop();
  }
}

async function runAll(opts: ChaosOptions, ctx: FaultContext, nc: NatsConnection, infra: ChaosInfra, events: Array<{ at: number; event: ClusterEvent }>, say: Say, started: number): Promise<number> {
  const tally = new AppliedTally(new Date(started));
  const plan = { rate: opts.rate, perPhase: opts.perPhase, drainTimeoutMs: 90_000, ...(opts.attachment ? { attachment: { bytes: opts.attachment.kb * 1024, every: opts.attachment.every } } : {}) };
  const runs: PhaseRun[] = [];
  const skipped: string[] = [];
  const deadline = started + opts.maxMinutes * 60_000;
  try {
    for (const fault of ['none' as const, ...opts.faults]) {
      if (Date.now() > deadline) { skipped.push(fault); continue; }
      say(`phase ${fault === 'none' ? 'baseline (no fault)' : fault}: ${opts.perPhase} invitations at ${opts.rate}/s`);
      const p = await runPhase(fault, runs.length * opts.perPhase, plan, ctx, tally);
      runs.push(p);
      say(`phase ${fault}: ${p.outcomes.filter((o) => o.accepted).length} accepted, ${p.drained ? 'all applied' : 'NOT all applied within the drain deadline'}`);
    }
  } finally {
    ctx.driver.close();
  }
  await tally.refresh(ctx.session().js);
  const meetings = await meetingsPerUid(infra.mongoUrl, `chaos_${ctx.run}_appointment`);
  const figures = runs.map((p) => faultFigures(p, tally.perUid(), meetings, tally.firstApplied()));
  const settings = { rate: opts.rate, invitationsPerPhase: opts.perPhase, stallSeconds: opts.stallSeconds, faults: opts.faults, attachment: opts.attachment ?? null, natsUrl: infra.natsUrl() };
  const rawMail = await rawMailLeftovers(nc, ctx.session().jsm);
  const report = { ...buildReport(settings, figures, skipped, events.filter((e) => e.event.kind === 'crashed' || e.event.kind === 'ready').map((e) => describeEvent(e.event))), rawMail };
  writeReport(opts.reportFile, report);
  process.stdout.write(`\n${reportTable(report)}\n\n`);
  say('error' in rawMail ? `raw mail: ${rawMail.error}` : `raw mail: ${rawMail.objects} objects; ${rawMail.unnamedChunkSets} cut-off writes left ${rawMail.unnamedChunks} chunks no object names (the bucket removes them with the rest after ${RAW_MAIL_MAX_AGE_MS / 86_400_000} days)`);
  say(`report: ${opts.reportFile}; ${report.ok ? 'no invitation lost or duplicated' : `FAILED: ${report.totals.lost} lost, ${report.totals.eventLost} stored without their event, ${report.totals.duplicated} duplicated${skipped.length ? `, skipped ${skipped.join(', ')}` : ''}`}`);
  return report.ok ? EXIT.ok : EXIT.partial;
}

function faultContext(a: {
  paths: { root: string }; cluster: RunningCluster; infra: ChaosInfra; run: string; opts: ChaosOptions; say: Say;
  session: { js: JetStreamClient; jsm: JetStreamManager }; events: Array<{ at: number; event: ClusterEvent }>;
}): FaultContext {
  return {
    root: a.paths.root, cluster: a.cluster, infra: a.infra, run: a.run, say: a.say,
    organizer: `organizer-${a.run}@partner.example`, attendee: `chaos@${DOMAIN}`,
    driver: new SmtpDriver({ smtp: a.cluster.endpoints.smtp, connections: 4, retryForMs: 120_000 }),
    session: () => a.session,
    stallMs: a.opts.stallSeconds * 1000,
    nextEvent: (since, match, timeoutMs) => waitForEvent(a.events, since, match, timeoutMs),
  };
}

async function waitForEvent(events: Array<{ at: number; event: ClusterEvent }>, since: number, match: (e: ClusterEvent) => boolean, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = events.find((e) => e.at >= since && match(e.event));
    if (hit) return hit.at;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw cliError('CLI_UNAVAILABLE', `no matching cluster event within ${timeoutMs} ms`);
}

async function addAssociate(cluster: RunningCluster, address: string): Promise<void> {
  const client = identityClient(cluster.endpoints.identityGrpc, cluster.grpc.client('cli'));
  try {
    await callUnary((md, o, cb) => client.upsertAssociate({ associate: identityV1.Associate.fromPartial({ name: 'Chaos', primaryAddress: address }) }, md, o, cb), 10_000);
  } finally {
    client.close();
  }
}

/** `--faults ingest,nats-server`: each name checked against the known faults (exit 2 otherwise). */
export function parseFaults(value: string | undefined): FaultName[] {
  if (!value) return [...FAULTS];
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(FAULTS as readonly string[]).includes(n)) throw cliError('CLI_USAGE', `unknown fault '${n}' (known: ${FAULTS.join(', ')})`);
  return names as FaultName[];
}
