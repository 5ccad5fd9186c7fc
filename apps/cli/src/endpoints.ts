import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { infraPaths } from '@inviteflow/infra';

/** Where the CLI finds the cluster: env vars, else what `cluster up` wrote, else defaults. */
export interface CliEndpoints {
  natsUrl: string;
  smtp: string;
  identityGrpc: string;
  appointmentGrpc: string;
  outboundGrpc: string;
}

export const DEFAULT_ENDPOINTS: CliEndpoints = {
  natsUrl: 'nats://127.0.0.1:14222',
  smtp: '127.0.0.1:2525',
  identityGrpc: '127.0.0.1:50051',
  appointmentGrpc: '127.0.0.1:50052',
  outboundGrpc: '127.0.0.1:50055',
};

export function clusterFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(infraPaths(env).dataDir, 'cluster.json');
}

export function writeClusterFile(endpoints: CliEndpoints, env: NodeJS.ProcessEnv = process.env): void {
  const file = clusterFile(env);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(endpoints, null, 2) + '\n');
}

export function resolveEndpoints(env: NodeJS.ProcessEnv = process.env): CliEndpoints {
  let fromFile: Partial<CliEndpoints> = {};
  try {
    const file = clusterFile(env);
    if (existsSync(file)) fromFile = JSON.parse(readFileSync(file, 'utf8')) as Partial<CliEndpoints>;
  } catch {
    fromFile = {};
  }
  const base = { ...DEFAULT_ENDPOINTS, ...fromFile };
  return {
    natsUrl: env['INVITEFLOW_NATS_URL'] ?? base.natsUrl,
    smtp: env['INVITEFLOW_SMTP'] ?? base.smtp,
    identityGrpc: env['INVITEFLOW_IDENTITY_GRPC'] ?? base.identityGrpc,
    appointmentGrpc: env['INVITEFLOW_APPOINTMENT_GRPC'] ?? base.appointmentGrpc,
    outboundGrpc: env['INVITEFLOW_OUTBOUND_GRPC'] ?? base.outboundGrpc,
  };
}
