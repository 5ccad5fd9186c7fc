import { assertNever } from '@inviteflow/contracts';
import type { GrpcAccess, GrpcPki, NatsCredentialSet } from '@inviteflow/infra';

/** The five services, how to start them, and what each needs from its neighbours. */
export const SERVICE_NAMES = ['identity', 'appointment', 'parser', 'ingest', 'outbound-mail'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * Node/V8 flags of each service process; the Dockerfiles' CMD and k8s/base's `command:` carry
 * the same ones (k8s/tests/images.unit.test.ts holds the three in step), so a local cluster
 * measures what production runs. One line per service: that test reads them from here.
 *
 * --max-old-space-size (MiB), half the service's k8s memory limit or 256, whichever is less:
 * V8 sizes its heap from the machine's memory, not the pod's, and on a machine with 512 MiB or
 * more of heap allowed it lets the old generation grow 4× past what a full GC left alive before
 * the next one. Under `./dev load` that was 50-100 MiB of garbage in the parser and ingest (a
 * forced GC took the parser's used heap from 138 to 35 MiB, ingest's from 88 to 33), and the
 * Buffers that garbage held kept glibc's heap at its high-water mark: peak RSS parser 180-250,
 * ingest 140-210 MiB. Below 512 MiB V8 scales that factor down to 1.3 at 128 MiB (heap
 * growing, MemoryController::MaxGrowingFactor), so a cap well above the live set (~35 MiB)
 * is what keeps the heap near it: with 256 the parser peaked at 154, ingest at 136 MiB, CPU per
 * invitation unchanged; 128 measured the same; 48 cost 3× the CPU in GC.
 *
 * --max-semi-space-size=8 (MiB): V8 sizes the young generation from the heap limit, which it
 * derives from the machine's memory, not the pod's; on a 24 GiB box each service's new space
 * grew to 64-128 MiB under `./dev load` (nodejs_heap_space_size_total_bytes{space="new"}),
 * a third to half of its resident set, for short-lived per-message garbage. Two 8 MiB
 * semi-spaces keep it small; scavenges get more frequent but each one only copies the
 * survivors, which a message-at-a-time service has few of.
 *
 * --v8-pool-size=1: V8 starts one platform worker per CPU it sees (the node's, not the pod's)
 * for parallel scavenges and concurrent marking, and each keeps its own allocation buffers,
 * marking worklists and malloc arena. One is enough for a service that handles small messages:
 * appointment's peak under `./dev load` flat out 139–157 MiB in five runs without it, 132–146
 * (four of five at 132–134) with it, on a busy 2-core box (load average ~14); its CPU per
 * invitation unchanged within the noise; identity and outbound-mail idle 1–4 MiB less. Not
 * --single-threaded-gc: marking stays concurrent, off the main thread.
 *
 * --no-concurrent-recompilation: TurboFan otherwise compiles hot functions on the V8 helper
 * thread, and each compile job's zone memory comes from that thread's own glibc arena, which
 * kept ~20 MiB resident in the parser after the jobs were done (a 64 MiB-aligned anonymous
 * mapping, /proc/<pid>/smaps; MALLOC_ARENA_MAX=1 only moved it to the main heap). Compiling on
 * the main thread frees the zone at once: the parser's peak under `./dev load` 142-151 →
 * 121-129 MiB, ingest and appointment a few MiB less. The cost is a pause of a few ms on the
 * main thread per optimised function, nearly all of it in the first seconds after start.
 *
 * No --enable-source-maps: Node parses each bundle's source map when it loads it and keeps it,
 * ~12 MiB of heap per service (old space 16 → 26-34 MiB at start; issue 14), and maps every
 * stack trace read, a CPU cost on every error. Stacks then name dist/services/<name>/main.js
 * lines; for mapped ones run `NODE_OPTIONS=--enable-source-maps ./dev up`.
 */
export const SERVICE_NODE_FLAGS: Readonly<Record<ServiceName, readonly string[]>> = {
  identity: ['--max-old-space-size=128', '--max-semi-space-size=8', '--v8-pool-size=1', '--no-concurrent-recompilation'],
  appointment: ['--max-old-space-size=192', '--max-semi-space-size=8', '--v8-pool-size=1', '--no-concurrent-recompilation'],
  parser: ['--max-old-space-size=256', '--max-semi-space-size=8', '--v8-pool-size=1', '--no-concurrent-recompilation'],
  ingest: ['--max-old-space-size=256', '--max-semi-space-size=8', '--v8-pool-size=1', '--no-concurrent-recompilation'],
  'outbound-mail': ['--max-old-space-size=128', '--max-semi-space-size=8', '--v8-pool-size=1', '--no-concurrent-recompilation'],
};

/** Fixed loopback ports of a local cluster (0 everywhere in tests: each service picks). */
export interface ClusterPorts {
  smtp: number;
  identityGrpc: number;
  appointmentGrpc: number;
  /** outbound-mail's OutboundService (`inviteflow outbox`, `status`). */
  outboundGrpc: number;
  /** outbound-mail's RSVP link endpoint (issue 11 §4). */
  rsvpHttp: number;
  /** ingest's MailboxService (`inviteflow mailbox`, issue 12). */
  ingestGrpc: number;
  health: Record<ServiceName, number>;
}

export const LOCAL_CLUSTER_PORTS: ClusterPorts = {
  smtp: 2525,
  identityGrpc: 50051,
  appointmentGrpc: 50052,
  outboundGrpc: 50055,
  rsvpHttp: 8480,
  ingestGrpc: 50054,
  health: { identity: 9601, appointment: 9602, parser: 9603, ingest: 9604, 'outbound-mail': 9605 },
};

export const EPHEMERAL_PORTS: ClusterPorts = {
  smtp: 0,
  identityGrpc: 0,
  appointmentGrpc: 0,
  outboundGrpc: 0,
  rsvpHttp: 0,
  ingestGrpc: 0,
  health: { identity: 0, appointment: 0, parser: 0, ingest: 0, 'outbound-mail': 0 },
};

export interface ClusterSettings {
  natsUrl: string;
  mongoUrl: string;
  /** Prefix of each service's own database (each service owns one, architecture.md). */
  dbPrefix: string;
  ports: ClusterPorts;
  acceptDomains: string[];
  logLevel: string;
  /** The SMTP relay outbound-mail delivers to (the local cluster's GreenMail); none: delivery stays off. */
  mailRelay?: { host: string; port: number };
  /** Each service's NATS nkey seed file; none: NATS authorization is off (INVITEFLOW_NATS_AUTH=off). */
  natsCredentials?: Pick<NatsCredentialSet, 'seedFile'>;
  /** gRPC TLS material and caller tokens (cluster.ts makes them); none: GRPC_SECURITY=off (INVITEFLOW_GRPC_SECURITY=off). */
  grpcPki?: GrpcPki;
  /** Issue 15 pt 3-4 (cluster-smtp-security.ts): ingest's STARTTLS certificate, and the parser's DNS zone for SPF/DKIM/DMARC. */
  mailSecurity?: ClusterMailSecurity;
}

/** SMTP_TLS_* of ingest and MAIL_AUTH_DNS of the parser in a local cluster. */
export interface ClusterMailSecurity {
  smtpTls?: { certFile: string; keyFile: string };
  /** A zone file (examples/local-dns.json): sender authentication stays enforced, answered without the network. */
  mailAuthDns?: string;
}

/**
 * Who may call whom over gRPC in a local cluster (issue 15 §2): the CLI everything; appointment
 * identity; outbound-mail appointment (GetMeeting before an RSVP click); `crm` is the token a
 * CRM integration would use for the CRM-facing API. Each caller has a token of its own.
 */
export const LOCAL_GRPC_ACCESS: GrpcAccess = {
  identity: ['cli', 'appointment'],
  appointment: ['cli', 'outbound-mail', 'crm'],
  'outbound-mail': ['cli'],
  ingest: ['cli'],
};

/** GRPC_* of one service: TLS with mutual TLS, who may call it, and its own caller token. */
function grpcEnv(name: ServiceName, pki: GrpcPki | undefined): Record<string, string> {
  if (!pki) return { GRPC_SECURITY: 'off' };
  return {
    GRPC_SECURITY: 'on', GRPC_TLS_CERT_FILE: pki.serverCertFile, GRPC_TLS_KEY_FILE: pki.serverKeyFile, GRPC_TLS_CLIENT_CA_FILE: pki.caFile,
    GRPC_CALLERS_FILE: pki.callersFile(name),
    GRPC_CLIENT_CA_FILE: pki.caFile, GRPC_CLIENT_TOKEN_FILE: pki.tokenFile(name), GRPC_CLIENT_CERT_FILE: pki.clientCertFile, GRPC_CLIENT_KEY_FILE: pki.clientKeyFile,
    // One certificate (localhost) for every service; addresses are 127.0.0.1:port.
    GRPC_CLIENT_SERVER_NAME: 'localhost',
  };
}

/**
 * The same ports again for a restarted service (those it reported: `health`, `grpc`,
 * `smtp`), so its clients and neighbours find it where it was, as behind a Kubernetes Service.
 */
export function pinPorts(ports: ClusterPorts, name: ServiceName, reported: Readonly<Record<string, number>>): ClusterPorts {
  const pinned: ClusterPorts = { ...ports, health: { ...ports.health, [name]: reported['health'] ?? ports.health[name] } };
  if (name === 'identity') pinned.identityGrpc = reported['grpc'] ?? ports.identityGrpc;
  if (name === 'appointment') pinned.appointmentGrpc = reported['grpc'] ?? ports.appointmentGrpc;
  if (name === 'ingest') pinned.smtp = reported['smtp'] ?? ports.smtp;
  if (name === 'ingest') pinned.ingestGrpc = reported['grpc'] ?? ports.ingestGrpc;
  if (name === 'outbound-mail') pinned.rsvpHttp = reported['rsvp'] ?? ports.rsvpHttp;
  if (name === 'outbound-mail') pinned.outboundGrpc = reported['grpc'] ?? ports.outboundGrpc;
  return pinned;
}

/** Ports the already-started services reported, needed by later ones. */
export interface KnownEndpoints {
  identityGrpc?: string;
  appointmentGrpc?: string;
}

export function serviceEnv(name: ServiceName, s: ClusterSettings, known: KnownEndpoints): Record<string, string> {
  const common = {
    NATS_URL: s.natsUrl,
    // Each service connects as its own NATS user (libs/messaging nats.permissions.ts).
    ...(s.natsCredentials ? { NATS_NKEY_SEED_FILE: s.natsCredentials.seedFile(name) } : { NATS_AUTH: 'off' }),
    MONGO_URL: s.mongoUrl,
    ...grpcEnv(name, s.grpcPki),
    MONGO_DB: `${s.dbPrefix}${name.replace('-', '_')}`,
    LOG_LEVEL: s.logLevel,
    HEALTH_HOST: '127.0.0.1',
    HEALTH_PORT: String(s.ports.health[name]),
    SHUTDOWN_TIMEOUT_MS: '8000',
  };
  switch (name) {
    case 'identity':
      return { ...common, GRPC_HOST: '127.0.0.1', GRPC_PORT: String(s.ports.identityGrpc) };
    case 'appointment':
      return {
        ...common, GRPC_HOST: '127.0.0.1', GRPC_PORT: String(s.ports.appointmentGrpc), IDENTITY_GRPC_ADDR: known.identityGrpc ?? '',
        // Invites to unknown addresses in the domains we accept mail for are parked (docs/identity.md).
        OUR_DOMAINS: s.acceptDomains.join(','),
      };
    case 'ingest':
      // GRPC_*: the MailboxService (`inviteflow mailbox`), served because ingest has MONGO_URL.
      return {
        ...common, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(s.ports.smtp), ACCEPT_DOMAINS: s.acceptDomains.join(','), GRPC_HOST: '127.0.0.1', GRPC_PORT: String(s.ports.ingestGrpc),
        // STARTTLS with the cluster's throw-away certificate (issue 15 pt 3).
        ...(s.mailSecurity?.smtpTls ? { SMTP_TLS_CERT_FILE: s.mailSecurity.smtpTls.certFile, SMTP_TLS_KEY_FILE: s.mailSecurity.smtpTls.keyFile } : {}),
      };
    case 'parser':
      // As in k8s/base/parser.yaml: glibc unmaps large freed buffers at once, so a recycled
      // parse worker's memory goes back to the system (docs/parser.md, Memory).
      // MAIL_AUTH_DNS: the cluster's zone, so mail sent from loopback as the example domains passes SPF (issue 15 pt 4).
      return { ...common, MALLOC_MMAP_THRESHOLD_: '131072', ...(s.mailSecurity?.mailAuthDns ? { MAIL_AUTH_DNS: s.mailSecurity.mailAuthDns } : {}) };
    case 'outbound-mail': {
      const outboundGrpc = { GRPC_HOST: '127.0.0.1', GRPC_PORT: String(s.ports.outboundGrpc) };
      // RSVP links (issue 11 §4): the click endpoint, and the appointment service asked before a click is applied.
      const rsvp = { RSVP_HTTP_HOST: '127.0.0.1', RSVP_HTTP_PORT: String(s.ports.rsvpHttp), ...(known.appointmentGrpc ? { APPOINTMENT_GRPC_ADDR: known.appointmentGrpc } : {}) };
      // Plain SMTP on loopback (GreenMail offers no STARTTLS): SMTP_RELAY_* in outbound-mail's config.ts.
      return s.mailRelay ? { ...common, ...rsvp, SMTP_RELAY_HOST: s.mailRelay.host, SMTP_RELAY_PORT: String(s.mailRelay.port), ...outboundGrpc } : { ...common, ...rsvp, ...outboundGrpc };
    }
    default:
      return assertNever(name, 'service');
  }
}
