import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { infraPaths } from '@inviteflow/infra';

/** Where the CLI finds the cluster: env vars, else what `cluster up` wrote, else defaults. */
export interface CliEndpoints {
  natsUrl: string;
  /** The CLI's NATS nkey seed file (the operator's credential); none: connect anonymously. */
  natsSeedFile?: string;
  smtp: string;
  /** The CLI's gRPC credentials (paths; issue 15 §2); none: it cannot call a secured cluster. */
  grpc?: CliGrpcFiles;
  identityGrpc: string;
  appointmentGrpc: string;
  outboundGrpc: string;
  /** ingest's MailboxService (`inviteflow mailbox`); absent in a cluster file written before it. */
  ingestGrpc?: string;
}

/** Files of the CLI's gRPC credentials; `security: 'off'` for a cluster run with INVITEFLOW_GRPC_SECURITY=off. */
export interface CliGrpcFiles {
  security?: 'on' | 'off';
  caFile?: string;
  tokenFile?: string;
  certFile?: string;
  keyFile?: string;
  serverName?: string;
}

export const DEFAULT_ENDPOINTS: CliEndpoints = {
  natsUrl: 'nats://127.0.0.1:14222',
  smtp: '127.0.0.1:2525',
  identityGrpc: '127.0.0.1:50051',
  appointmentGrpc: '127.0.0.1:50052',
  outboundGrpc: '127.0.0.1:50055',
  ingestGrpc: '127.0.0.1:50054',
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
    natsSeedFile: env['INVITEFLOW_NATS_NKEY_SEED_FILE'] ?? base.natsSeedFile,
    smtp: env['INVITEFLOW_SMTP'] ?? base.smtp,
    grpc: grpcFiles(env, base.grpc),
    identityGrpc: env['INVITEFLOW_IDENTITY_GRPC'] ?? base.identityGrpc,
    appointmentGrpc: env['INVITEFLOW_APPOINTMENT_GRPC'] ?? base.appointmentGrpc,
    outboundGrpc: env['INVITEFLOW_OUTBOUND_GRPC'] ?? base.outboundGrpc,
    ingestGrpc: env['INVITEFLOW_INGEST_GRPC'] ?? base.ingestGrpc,
  };
}

/** INVITEFLOW_GRPC_* override what `cluster up` wrote, one by one. */
function grpcFiles(env: NodeJS.ProcessEnv, fromFile: CliGrpcFiles = {}): CliGrpcFiles {
  const pick = (name: string, fallback: string | undefined): string | undefined => env[`INVITEFLOW_GRPC_${name}`] || fallback;
  const security = pick('SECURITY', fromFile.security);
  return {
    security: security === 'off' ? 'off' : 'on',
    caFile: pick('CA_FILE', fromFile.caFile),
    tokenFile: pick('TOKEN_FILE', fromFile.tokenFile),
    certFile: pick('CERT_FILE', fromFile.certFile),
    keyFile: pick('KEY_FILE', fromFile.keyFile),
    serverName: pick('SERVER_NAME', fromFile.serverName),
  };
}
