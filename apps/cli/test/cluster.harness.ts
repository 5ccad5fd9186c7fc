import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { ProvisionedInfra, findWorkspaceRoot } from '@inviteflow/infra';
import { appointmentV1, identityV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import { startPrivateNats, uniqueSuffix, writeMailAuthZone, type TestZone } from '@inviteflow/testing';
import { RunningCluster, startCluster } from '../src/cluster/cluster';
import type { LivenessPolicy } from '../src/cluster/liveness.watch';
import { appointmentClient, identityClient } from '../src/grpc-clients';
import { describeEvent } from '../src/cluster/cluster.events';
import { EPHEMERAL_PORTS } from '../src/cluster/service-catalog';

export interface TestCluster {
  cluster: RunningCluster;
  infra: ProvisionedInfra;
  identity: identityV1.IdentityServiceClient;
  /** Each service's database is `${dbPrefix}<service with _>` on infra.mongoUrl. */
  dbPrefix: string;
  /** What the runner reported, as the lines `./dev up` prints (crashes, restarts, stops). */
  lines: string[];
  appointment(): appointmentV1.AppointmentServiceClient;
  sendMail(raw: Buffer, envelope: { from: string; to: string[] }): Promise<{ response: string }>;
  stop(): Promise<Partial<Record<string, number | null>>>;
}

/**
 * All five services as real processes (the built bundles under dist/), on ports they choose,
 * with a NATS server of their own (so stream names never collide with other tests) and their
 * own databases on the run's MongoDB.
 */
export async function startTestCluster(
  domains: string[],
  opts: { mailRelay?: { host: string; port: number }; mailAuthZones?: TestZone[]; liveness?: LivenessPolicy } = {},
): Promise<TestCluster> {
  const root = findWorkspaceRoot(__dirname);
  for (const s of ['identity', 'appointment', 'parser', 'ingest', 'outbound-mail']) {
    if (!existsSync(join(root, 'dist/services', s, 'main.js'))) throw new Error(`dist/services/${s}/main.js is missing: run ./dev build first`);
  }
  const infra = await startPrivateNats('e2e');
  const logDir = mkdtempSync(join(tmpdir(), 'inviteflow-e2e-'));
  const dbPrefix = `e2e_${uniqueSuffix()}_`;
  let cluster: RunningCluster;
  const lines: string[] = [];
  try {
    cluster = await startCluster({
      root, logDir, onEvent: (event) => void lines.push(describeEvent(event)), ...(opts.liveness ? { liveness: opts.liveness } : {}),
      settings: {
        natsUrl: infra.natsUrl, mongoUrl: infra.mongoUrl, dbPrefix, ports: EPHEMERAL_PORTS, acceptDomains: domains, logLevel: 'info',
        natsCredentials: infra.natsCredentials, ...(opts.mailRelay ? { mailRelay: opts.mailRelay } : {}),
        // Sender authentication on, against the test zone (loopback senders + the test's own, e.g. DKIM keys).
        mailSecurity: { mailAuthDns: writeMailAuthZone(logDir, ...(opts.mailAuthZones ?? [])) },
      },
    });
  } catch (err) {
    await infra.stop();
    throw new Error(`${(err as Error).message} (service logs in ${logDir})`);
  }
  const identity = identityClient(cluster.endpoints.identityGrpc, cluster.grpc.client('cli'));
  let appointment: appointmentV1.AppointmentServiceClient | undefined;
  let appointmentAddr = '';
  return {
    cluster, infra, identity, dbPrefix, lines,
    appointment: () => {
      // The appointment process may have been restarted on a new port.
      if (!appointment || appointmentAddr !== cluster.endpoints.appointmentGrpc) {
        appointment?.close();
        appointmentAddr = cluster.endpoints.appointmentGrpc;
        appointment = appointmentClient(appointmentAddr, cluster.grpc.client('cli'));
      }
      return appointment;
    },
    sendMail: async (raw, envelope) => {
      const [host, port] = cluster.endpoints.smtp.split(':');
      // Like a sending MTA, a 421 (ingest's per-address connection limit, met when a test sends
      // many mails at once) means "later": try again, a bounded number of times.
      for (let attempt = 1; ; attempt += 1) {
        const transport = createTransport({ host, port: Number(port), secure: false, ignoreTLS: true });
        try {
          return await transport.sendMail({ envelope, raw });
        } catch (err) {
          if ((err as { responseCode?: number }).responseCode !== 421 || attempt >= 50) throw err;
          await new Promise((resolve) => setTimeout(resolve, 100 * Math.min(attempt, 10)));
        } finally {
          transport.close();
        }
      }
    },
    stop: async () => {
      identity.close();
      appointment?.close();
      const codes = await cluster.stop();
      await infra.stop();
      return codes;
    },
  };
}

export function upsertAssociate(client: identityV1.IdentityServiceClient, a: Partial<identityV1.Associate>): Promise<identityV1.UpsertAssociateResponse> {
  return callUnary((md, o, cb) => client.upsertAssociate({ associate: identityV1.Associate.fromPartial(a) }, md, o, cb), 5000);
}

export function listDiary(client: appointmentV1.AppointmentServiceClient, associate: string): Promise<appointmentV1.ListDiaryResponse> {
  return callUnary((md, o, cb) => client.listDiary({ associate }, md, o, cb), 5000);
}

/** Polls until `probe` returns a value, or fails after `timeoutMs` naming what was awaited. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}
