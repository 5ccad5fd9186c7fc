// Variables every service shares, as fragments to spread into a service's own schema:
//   defineConfig({ ...commonConfig, ...natsConfig, ...mongoConfig, batchSize: envVar(...) })
// NATS and Mongo are separate fragments because not every service talks to both, and a
// service must not fail to boot over a variable it never reads.
import { z } from 'zod';
import { type ConfigOf, envVar } from './config.schema';
import { grpcServerSecurityConfig } from './grpc-security.config';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** 9464 is the conventional Prometheus exporter port; in Kubernetes each pod has its own. */
export const DEFAULT_HEALTH_PORT = 9464;

const port = z.coerce.number().int().min(0).max(65535);

/** HEALTH_PORT with a service-chosen default, for services run side by side outside k8s. */
export function healthPortVar(defaultPort: number) {
  return envVar('HEALTH_PORT', port, {
    default: defaultPort,
    doc: 'Port of the /healthz, /readyz and /metrics server; 0 picks a free port (tests).',
    expected: 'an integer port 0-65535',
  });
}

export const commonConfig = {
  logLevel: envVar('LOG_LEVEL', z.enum(LOG_LEVELS), {
    default: 'info',
    doc: 'Log level: fatal, error, warn, info, debug, trace or silent.',
    expected: LOG_LEVELS.join('|'),
  }),
  healthHost: envVar('HEALTH_HOST', z.string().min(1), {
    default: '127.0.0.1',
    doc: 'Interface the health server binds; set 0.0.0.0 in Kubernetes so the kubelet and Prometheus reach it.',
    expected: 'a host name or IP address',
  }),
  healthPort: healthPortVar(DEFAULT_HEALTH_PORT),
  shutdownTimeoutMs: envVar('SHUTDOWN_TIMEOUT_MS', z.coerce.number().int().min(100).max(600_000), {
    default: 10_000,
    doc: 'Budget for graceful shutdown before a forced exit(1); keep below terminationGracePeriodSeconds.',
    expected: 'milliseconds, 100-600000',
  }),
};

/** The resolved shape of `commonConfig`, for code that receives any service's config. */
export type CommonConfig = ConfigOf<typeof commonConfig>;

// Accepts the comma-separated server list nats.js takes, e.g. "nats://a:4222,nats://b:4222".
const natsUrls = z
  .string()
  .transform((value) => value.split(',').map((url) => url.trim()))
  .pipe(z.array(z.url({ protocol: /^(nats|tls|ws|wss)$/ })).min(1));

export const natsConfig = {
  natsUrl: envVar('NATS_URL', natsUrls, {
    doc: 'NATS server URL(s), comma-separated.',
    expected: 'nats:// URL(s), comma-separated',
  }),
  // Every service provisions the streams at start, so all of them must agree on this.
  natsStreamReplicas: envVar('NATS_STREAM_REPLICAS', z.coerce.number().int().min(1).max(5), {
    default: 1,
    doc: 'Replicas of every JetStream stream and of the raw-mail object store; 3 on a NATS cluster in production, 1 on a single server.',
    expected: 'an integer 1-5',
  }),
  // NATS credentials (docs/security.md, NATS): each service is its own NATS user, named by an
  // nkey whose seed Kubernetes mounts from a Secret. Paths only; the seed is read at connect.
  natsAuth: envVar('NATS_AUTH', z.enum(['nkey', 'off']), {
    default: 'nkey',
    doc: 'nkey: connect as the user whose seed NATS_NKEY_SEED_FILE holds (required). off: connect anonymously, logged as a warning; development only.',
    expected: 'nkey or off',
  }),
  natsNkeySeedFile: envVar('NATS_NKEY_SEED_FILE', z.string().min(1).optional(), {
    doc: "Path of the file holding this service's NATS nkey seed (one line, SU...); required unless NATS_AUTH=off.",
    expected: 'a file path',
  }),
  natsTlsCaFile: envVar('NATS_TLS_CA_FILE', z.string().min(1).optional(), {
    doc: "CA bundle (PEM) that signed the NATS server's certificate; set it to connect with TLS.",
    expected: 'a file path',
  }),
  natsTlsCertFile: envVar('NATS_TLS_CERT_FILE', z.string().min(1).optional(), {
    doc: 'Client certificate (PEM) for a NATS server that verifies clients (mutual TLS); with NATS_TLS_KEY_FILE.',
    expected: 'a file path',
  }),
  natsTlsKeyFile: envVar('NATS_TLS_KEY_FILE', z.string().min(1).optional(), {
    doc: 'Private key (PEM) of NATS_TLS_CERT_FILE.',
    expected: 'a file path',
  }),
};

export const mongoConfig = {
  // Secret because connection strings usually carry credentials.
  mongoUrl: envVar('MONGO_URL', z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/), {
    doc: 'MongoDB connection string, including the database name.',
    expected: 'a mongodb:// or mongodb+srv:// URL',
    secret: true,
  }),
};

// Fragments several services declare alike: one definition, so names, limits and docs agree.

/** MONGO_DB: the service's own database (architecture.md: no service reads another's). */
export function serviceDatabaseVar(service: string, defaultName: string) {
  return envVar('MONGO_DB', z.string().regex(/^[A-Za-z0-9_-]{1,60}$/), {
    default: defaultName,
    doc: `The ${service} service's own database.`,
    expected: 'a database name',
  });
}

/** GRPC_HOST / GRPC_PORT of a service that serves gRPC. */
export function grpcServerConfig(defaultPort: number) {
  return {
    grpcHost: envVar('GRPC_HOST', z.string().min(1), {
      default: '127.0.0.1', doc: 'Interface of the gRPC server (0.0.0.0 in Kubernetes).', expected: 'a host or IP',
    }),
    grpcPort: envVar('GRPC_PORT', port, { default: defaultPort, doc: 'gRPC port; 0 picks a free one.', expected: 'a port 0-65535' }),
    // TLS and caller tokens (issue 15 §2): grpc-security.config.ts.
    ...grpcServerSecurityConfig,
  };
}

/** CONSUMER_CONCURRENCY: messages one process handles at once. */
export function consumerConcurrencyVar(defaultValue: number, doc: string) {
  return envVar('CONSUMER_CONCURRENCY', z.coerce.number().int().min(1).max(256), {
    default: defaultValue, doc, expected: 'an integer 1-256',
  });
}

/** A comma-separated list of mail domains, lowercased; subdomains are matched by the caller. */
export const domainList = z
  .string()
  .transform((v) => v.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z0-9-]+$/)).min(1));
