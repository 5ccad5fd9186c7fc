// Who may publish and subscribe to what on NATS: one table, from which the nats-server
// `authorization` block is generated for the local cluster, the Jest global set-up and
// Kubernetes (k8s/components/nats-auth/nats-auth.conf, kept in step by a unit test).
//
// Each service is one NATS user identified by an nkey (docs/security.md, NATS). Permissions
// are allow-lists: anything not listed is refused by the server ("Permissions Violation").
import { CONSUMERS, type ConsumerSpec, deadLetterSubject, RAW_MAIL_BUCKET, STREAMS, SUBJECTS } from '@inviteflow/contracts';

export const SERVICE_NATS_IDENTITIES = ['ingest', 'parser', 'identity', 'appointment', 'outbound-mail'] as const;
/** The five services, the CLI (an operator's credential) and the test suite. */
export const NATS_IDENTITIES = [...SERVICE_NATS_IDENTITIES, 'cli', 'test'] as const;
export type NatsIdentity = (typeof NATS_IDENTITIES)[number];

export interface NatsPermissions {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
}

const RAW_MAIL_STREAM = `OBJ_${RAW_MAIL_BUCKET}`;
const ALL_STREAMS = Object.values(STREAMS).map((s) => s.name);

/**
 * Every service provisions every stream at start (libs/platform bootService), so each may look
 * up, create and update them by name, but never delete or purge one. `$JS.API.INFO` is the
 * account check jetstreamManager() makes at connect.
 */
function streamProvisioning(extra: readonly string[] = []): string[] {
  return ['$JS.API.INFO', ...[...ALL_STREAMS, ...extra].flatMap((s) => [`$JS.API.STREAM.INFO.${s}`, `$JS.API.STREAM.CREATE.${s}`, `$JS.API.STREAM.UPDATE.${s}`])];
}

/**
 * A durable pull consumer of one's own: create/update it (nats.js names the filter in the
 * subject), read its info, pull, settle (ack / nak / working / term) and dead-letter to
 * `dlq.<its subject>` (house-style §3).
 */
function ownConsumer(c: ConsumerSpec): string[] {
  const api = '$JS.API.CONSUMER';
  return [
    `${api}.CREATE.${c.stream}.${c.durable}`, `${api}.CREATE.${c.stream}.${c.durable}.>`, `${api}.DURABLE.CREATE.${c.stream}.${c.durable}`,
    `${api}.INFO.${c.stream}.${c.durable}`, `${api}.MSG.NEXT.${c.stream}.${c.durable}`,
    `$JS.ACK.${c.stream}.${c.durable}.>`, deadLetterSubject(c.filterSubject),
  ];
}

/**
 * Writes raw mail into the object store (chunks, then the metadata record), ADR-20 layout.
 * Storing a name again (a redelivered or re-fetched mail) purges the old object's chunks, so
 * the writer may purge that one stream (by subject); no other identity may.
 */
const RAW_MAIL_WRITE = [`$O.${RAW_MAIL_BUCKET}.C.>`, `$O.${RAW_MAIL_BUCKET}.M.>`, `$JS.API.STREAM.PURGE.${RAW_MAIL_STREAM}`];
/** Reads raw mail back: metadata and chunks by direct get (raw-mail.reader.ts), or msg get. */
const RAW_MAIL_READ = [`$JS.API.DIRECT.GET.${RAW_MAIL_STREAM}`, `$JS.API.DIRECT.GET.${RAW_MAIL_STREAM}.>`, `$JS.API.STREAM.MSG.GET.${RAW_MAIL_STREAM}`];
/** Replies (JetStream API answers, publish acks, pulled messages) come to the connection's inbox. */
const INBOX = ['_INBOX.>'];
const EVERYTHING: NatsPermissions = { publish: ['>'], subscribe: ['>'] };

export const NATS_PERMISSIONS: Readonly<Record<NatsIdentity, NatsPermissions>> = {
  ingest: {
    publish: [...streamProvisioning([RAW_MAIL_STREAM]), ...RAW_MAIL_WRITE, ...RAW_MAIL_READ, SUBJECTS.mailReceivedV1],
    subscribe: INBOX,
  },
  parser: {
    publish: [
      ...streamProvisioning([RAW_MAIL_STREAM]), ...RAW_MAIL_READ, ...ownConsumer(CONSUMERS.parser),
      SUBJECTS.inviteParsedV1, SUBJECTS.mailIgnoredV1, SUBJECTS.mailRejectedV1, SUBJECTS.mailBouncedV1,
    ],
    subscribe: INBOX,
  },
  identity: {
    publish: [...streamProvisioning(), SUBJECTS.identityChangedV1],
    subscribe: INBOX,
  },
  appointment: {
    publish: [
      ...streamProvisioning(),
      ...ownConsumer(CONSUMERS.appointment), ...ownConsumer(CONSUMERS.appointmentIdentity), ...ownConsumer(CONSUMERS.appointmentBounces),
      SUBJECTS.appointmentScheduledV1, SUBJECTS.appointmentUpdatedV1, SUBJECTS.appointmentCancelledV1, SUBJECTS.appointmentNotInSyncV1,
      SUBJECTS.mailOutboundRequestedV1,
    ],
    // Each replica drops its cached resolutions on identity.changed.v1 (a plain subscription).
    subscribe: [...INBOX, SUBJECTS.identityChangedV1],
  },
  'outbound-mail': {
    publish: [
      ...streamProvisioning(), ...ownConsumer(CONSUMERS.outboundMail),
      SUBJECTS.mailSentV1, SUBJECTS.mailFailedV1,
      // An RSVP link click becomes the attendee's REPLY (issue 11 §4).
      SUBJECTS.inviteParsedV1,
    ],
    subscribe: INBOX,
  },
  // The operator's tools read every stream, list consumers, re-drive dead letters.
  cli: EVERYTHING,
  // Tests stand in for any service and create streams of their own.
  test: EVERYTHING,
};

/** The environment variable nats-server reads an identity's public nkey from. */
export function nkeyVariable(identity: NatsIdentity): string {
  return `INVITEFLOW_NKEY_${identity.toUpperCase().replace(/-/g, '_')}`;
}

/** The file an identity's nkey seed is kept in, inside a credentials directory. */
export function nkeySeedFileName(identity: NatsIdentity): string {
  return `${identity}.nk`;
}

/**
 * The nats-server `authorization` block. Public keys are not written in: each user's `nkey`
 * is a variable (`$INVITEFLOW_NKEY_PARSER`) that nats-server resolves from its environment,
 * so the same text serves every deployment and only the keys differ. `authTimeoutSeconds`
 * raises nats-server's 2 s limit for a client's signed CONNECT: on a busy 2-core laptop or CI
 * a starved test process signs later than that and is cut off mid-handshake.
 */
export function renderNatsAuthorization(identities: readonly NatsIdentity[] = NATS_IDENTITIES, opts: { authTimeoutSeconds?: number } = {}): string {
  const list = (subjects: readonly string[]): string => `[${subjects.map((s) => JSON.stringify(s)).join(', ')}]`;
  const users = identities.map((id) => {
    const p = NATS_PERMISSIONS[id];
    return [
      `    # ${id}`,
      `    { nkey: $${nkeyVariable(id)}, permissions: {`,
      `        publish: { allow: ${list(p.publish)} }`,
      `        subscribe: { allow: ${list(p.subscribe)} }`,
      '    } }',
    ].join('\n');
  });
  return [
    '# Generated from libs/messaging/src/nats.permissions.ts (renderNatsAuthorization); do not edit by hand.',
    'authorization {',
    ...(opts.authTimeoutSeconds ? [`  timeout: ${opts.authTimeoutSeconds}`] : []),
    '  users = [',
    ...users,
    '  ]',
    '}',
    '',
  ].join('\n');
}
