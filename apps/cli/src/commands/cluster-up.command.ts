import { provisionInfrastructure, infraPaths, type InfraPaths, type LocalMailServer, type ProvisionedInfra, type StopReport } from '@inviteflow/infra';
import { join } from 'node:path';
import { RunningCluster, startCluster } from '../cluster/cluster';
import { describeClusterMail, startClusterMail } from '../cluster/cluster-mail';
import { defineClusterMailbox, describeClusterMailbox } from '../cluster/cluster-mailbox';
import { describeEvent, describeStop } from '../cluster/cluster.events';
import { describeExit } from '../cluster/restart.policy';
import { LOCAL_CLUSTER_PORTS } from '../cluster/service-catalog';
import { writeClusterFile, DEFAULT_ENDPOINTS, type CliGrpcFiles } from '../endpoints';
import { EXIT } from '../cli-output';

const LOCAL_NATS_PORT = 14222;
const LOCAL_MONGO_PORT = 27217;

type Say = (msg: string) => void;

/**
 * `inviteflow cluster up`: infrastructure (env → containers → local builds) plus the five
 * services as separate processes on loopback, with a status line per step. A service that
 * crashes is restarted with backoff (cluster/restart.policy.ts). Ctrl-C (or SIGTERM) stops
 * the services in reverse order, then the infrastructure, and says what had to be forced.
 *
 * When the runner gives up on a crash-looping service, it stops the whole cluster and exits 1:
 * a cluster missing a service only looks up (ingest still answers 250, mail piles up behind
 * the dead consumer), so a loud stop that the terminal and any script notice is the honest end.
 */
export async function clusterUp(opts: { domains: string[] }): Promise<number> {
  const started = Date.now();
  const paths = infraPaths();
  const say: Say = (msg) => void process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}\n`);
  const { infra, mail } = await startInfraAndMail(paths, say);
  say(`infrastructure ready: NATS ${infra.natsUrl} (${infra.sources.nats}), MongoDB ${redact(infra.mongoUrl)} (${infra.sources.mongo})`);
  say(describeClusterMail(mail));
  const stopInfra = async (): Promise<StopReport[]> => [...(await infra.stop()), await mail.proc.stop()];
  let cluster: RunningCluster;
  try {
    cluster = await startCluster({
      root: paths.root,
      logDir: join(paths.logDir, 'services'),
      settings: {
        natsUrl: infra.natsUrl, mongoUrl: infra.mongoUrl, dbPrefix: 'inviteflow_', ports: LOCAL_CLUSTER_PORTS, acceptDomains: opts.domains, logLevel: 'info',
        mailRelay: mail.smtp, natsCredentials: infra.natsCredentials,
      },
      onEvent: (event) => say(describeEvent(event)),
      // gRPC CA, certificates and caller tokens, fresh each start (issue 15 §2); 0600 under .data.
      grpcPkiDir: join(paths.dataDir, 'grpc-pki'),
    });
  } catch (err) {
    await stopInfra();
    throw err;
  }
  // The CLI's own NATS credential: a path to the seed (0600 under .data), never the seed itself.
  writeClusterFile({ ...DEFAULT_ENDPOINTS, natsUrl: infra.natsUrl, natsSeedFile: infra.natsCredentials?.seedFile('cli'), smtp: cluster.endpoints.smtp,
    identityGrpc: cluster.endpoints.identityGrpc, appointmentGrpc: cluster.endpoints.appointmentGrpc, outboundGrpc: cluster.endpoints.outboundGrpc,
    ingestGrpc: cluster.endpoints.ingestGrpc, grpc: cliGrpcFiles(cluster) });
  if (!cluster.grpc.pki) say('WARNING: INVITEFLOW_GRPC_SECURITY=off: gRPC is plaintext and every caller is served (development only)');
  // Mailbox intake (issue 12): one mailbox on the local GreenMail; a failure is said, not fatal.
  await defineClusterMailbox(cluster.endpoints.ingestGrpc, mail, cluster.grpc.client('cli')).then(
    (m) => m && say(describeClusterMailbox(m)),
    (err: unknown) => say(`WARNING: could not define the local mailbox: ${(err as { details?: string }).details ?? (err as Error).message}`),
  );
  say(`cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s — SMTP ${cluster.endpoints.smtp}, accepting mail for ${opts.domains.join(', ')}`);
  say(`logs: ${join(paths.logDir, 'services')}; try ./inviteflow status; Ctrl-C stops everything`);

  const gaveUpOn = await untilSignalOrGiveUp(cluster);
  if (gaveUpOn) say(`ERROR: ${gaveUpOn} keeps crashing; stopping the whole cluster (exit 1)`);
  say('stopping');
  process.on('SIGINT', () => forceQuit(cluster, say));
  // Each stop has its own line above; a forced one (SIGKILL after the budget) is never "clean".
  const codes = await cluster.stop();
  const unclean = Object.values(codes).filter((code) => code !== 0).length + reportInfraStops(await stopInfra(), say);
  const note = unclean === 0 ? '' : `; ${unclean} process(es) did not stop cleanly (see above)`;
  say(gaveUpOn ? `stopped after giving up on ${gaveUpOn}${note} (exit 1)` : unclean === 0 ? 'stopped cleanly' : `stopped${note}`);
  return gaveUpOn ? EXIT.partial : EXIT.ok;
}

/**
 * NATS and MongoDB (env → containers → local builds) and the local mail server, at once: the
 * mail server needs neither, so its JVM starts while they do. One failing stops the other.
 */
async function startInfraAndMail(paths: InfraPaths, say: Say): Promise<{ infra: ProvisionedInfra; mail: LocalMailServer }> {
  say('starting local mail server (GreenMail: SMTP + IMAP)');
  const [infra, mail] = await Promise.allSettled([
    provisionInfrastructure({ purpose: 'local', instance: 'local', natsPort: LOCAL_NATS_PORT, mongoPort: LOCAL_MONGO_PORT, onStep: say }),
    startClusterMail(paths),
  ]);
  if (infra.status === 'fulfilled' && mail.status === 'fulfilled') return { infra: infra.value, mail: mail.value };
  if (infra.status === 'fulfilled') await infra.value.stop();
  if (mail.status === 'fulfilled') await mail.value.proc.stop();
  throw infra.status === 'rejected' ? infra.reason : (mail as PromiseRejectedResult).reason;
}

/** Resolves with nothing on Ctrl-C / SIGTERM, or with the service the runner gave up on. */
function untilSignalOrGiveUp(cluster: RunningCluster): Promise<string | undefined> {
  return new Promise((resolve) => {
    const onSignal = (): void => resolve(undefined);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    void cluster.gaveUp.then((name) => resolve(name));
  });
}

/** A second Ctrl-C: the operator will not wait; kill what is left (infra dies with the exit hook). */
function forceQuit(cluster: RunningCluster, say: Say): void {
  say('second Ctrl-C: killing what is still running');
  for (const p of cluster.processes.values()) p.child.kill('SIGKILL');
  process.exit(130);
}

/**
 * NATS and MongoDB: only a kill counts as unclean (the JVM answers SIGTERM with exit 143
 * after its shutdown hooks ran, which is its clean stop).
 */
function reportInfraStops(reports: StopReport[], say: Say): number {
  for (const r of reports) {
    const how = r.forced ? describeStop({ exit: { code: r.code, signal: r.signal }, forced: true, ms: r.ms }, r.ms) : `in ${(r.ms / 1000).toFixed(1)} s (${describeExit(r.code, r.signal)})`;
    say(`${r.name.padEnd(13)} stopped  ${how}`);
  }
  return reports.filter((r) => r.forced).length;
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]+@/, '//***@');
}

/** The CLI's gRPC credential files in cluster.json: paths only, never a key or token. */
function cliGrpcFiles(cluster: RunningCluster): CliGrpcFiles {
  const pki = cluster.grpc.pki;
  if (!pki) return { security: 'off' };
  return { caFile: pki.caFile, tokenFile: pki.tokenFile('cli'), certFile: pki.clientCertFile, keyFile: pki.clientKeyFile, serverName: 'localhost' };
}
