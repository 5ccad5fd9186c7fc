import { provisionInfrastructure, infraPaths } from '@inviteflow/infra';
import { join } from 'node:path';
import { startCluster } from '../cluster/cluster';
import { LOCAL_CLUSTER_PORTS } from '../cluster/service-catalog';
import { writeClusterFile, DEFAULT_ENDPOINTS } from '../endpoints';
import { EXIT } from '../cli-output';

const LOCAL_NATS_PORT = 14222;
const LOCAL_MONGO_PORT = 27217;

/**
 * `inviteflow cluster up`: infrastructure (env → containers → local builds) plus the five
 * services as separate processes on loopback, with a status line per step; Ctrl-C (or
 * SIGTERM) stops the services in reverse order, then the infrastructure.
 */
export async function clusterUp(opts: { domains: string[] }): Promise<number> {
  const started = Date.now();
  const paths = infraPaths();
  const say = (msg: string): void => void process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}\n`);
  const infra = await provisionInfrastructure({
    purpose: 'local', instance: 'local', natsPort: LOCAL_NATS_PORT, mongoPort: LOCAL_MONGO_PORT, onStep: say,
  });
  say(`infrastructure ready: NATS ${infra.natsUrl} (${infra.sources.nats}), MongoDB ${redact(infra.mongoUrl)} (${infra.sources.mongo})`);
  let cluster;
  try {
    cluster = await startCluster({
      root: paths.root,
      logDir: join(paths.logDir, 'services'),
      settings: { natsUrl: infra.natsUrl, mongoUrl: infra.mongoUrl, dbPrefix: 'inviteflow_', ports: LOCAL_CLUSTER_PORTS, acceptDomains: opts.domains, logLevel: 'info' },
      onStatus: (service, status, detail) => say(`${service.padEnd(13)} ${status}${detail ? `  ${detail}` : ''}`),
    });
  } catch (err) {
    await infra.stop();
    throw err;
  }
  writeClusterFile({ ...DEFAULT_ENDPOINTS, natsUrl: infra.natsUrl, smtp: cluster.endpoints.smtp,
    identityGrpc: cluster.endpoints.identityGrpc, appointmentGrpc: cluster.endpoints.appointmentGrpc });
  say(`cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s — SMTP ${cluster.endpoints.smtp}, accepting mail for ${opts.domains.join(', ')}`);
  say(`logs: ${join(paths.logDir, 'services')}; try ./inviteflow status; Ctrl-C stops everything`);

  await new Promise<void>((resolve) => {
    const onSignal = (): void => resolve();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    for (const p of cluster.processes.values()) {
      void p.exited.then((code) => {
        if (code !== 0 && code !== null) say(`${p.name} exited unexpectedly with code ${code}; see its log`);
      });
    }
  });
  say('stopping');
  await cluster.stop();
  await infra.stop();
  say('stopped cleanly');
  return EXIT.ok;
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]+@/, '//***@');
}
