import { DEAD_LETTER_PREFIX, SUBJECTS } from './subjects';

/**
 * JetStream streams, named in uppercase by domain. Each captures its domain's subjects
 * with a wildcard so a new event version needs no stream change.
 */
export interface StreamSpec {
  readonly name: string;
  readonly subjects: readonly string[];
  /** Window in which a repeated Nats-Msg-Id is dropped as a duplicate. */
  readonly duplicateWindowMs: number;
  readonly maxAgeMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const STREAMS = {
  mail: { name: 'MAIL', subjects: ['mail.>'], duplicateWindowMs: 2 * 60 * 1000, maxAgeMs: 14 * DAY_MS },
  invite: { name: 'INVITE', subjects: ['invite.>'], duplicateWindowMs: 2 * 60 * 1000, maxAgeMs: 14 * DAY_MS },
  appointment: { name: 'APPOINTMENT', subjects: ['appointment.>'], duplicateWindowMs: 2 * 60 * 1000, maxAgeMs: 14 * DAY_MS },
  identity: { name: 'IDENTITY', subjects: ['identity.>'], duplicateWindowMs: 2 * 60 * 1000, maxAgeMs: 7 * DAY_MS },
  deadLetter: { name: 'DLQ', subjects: [`${DEAD_LETTER_PREFIX}.>`], duplicateWindowMs: 2 * 60 * 1000, maxAgeMs: 30 * DAY_MS },
} as const satisfies Record<string, StreamSpec>;

/** The JetStream object store bucket that holds raw mail bytes. */
export const RAW_MAIL_BUCKET = 'raw-mail';

/**
 * How long raw mail is kept (the bucket's max_age). A dead-lettered mail.received.v1 is kept
 * 30 days and a replay needs the bytes it references, so the bytes outlive the dead letter; the
 * extra day covers the retries between storing a mail and dead-lettering its event. The same age
 * removes the chunks of a write cut off by a kill, which no object names.
 */
export const RAW_MAIL_MAX_AGE_MS = STREAMS.deadLetter.maxAgeMs + DAY_MS;

/** Durable consumers, named by the service that owns them. */
export interface ConsumerSpec {
  readonly stream: string;
  readonly durable: string;
  readonly filterSubject: string;
}

export const CONSUMERS = {
  parser: { stream: STREAMS.mail.name, durable: 'parser', filterSubject: SUBJECTS.mailReceivedV1 },
  appointment: { stream: STREAMS.invite.name, durable: 'appointment', filterSubject: SUBJECTS.inviteParsedV1 },
  outboundMail: { stream: STREAMS.mail.name, durable: 'outbound-mail', filterSubject: SUBJECTS.mailOutboundRequestedV1 },
  // Applies invites parked for an unknown address once identity says it became known. Cache
  // invalidation is not done through it: a durable consumer reaches one replica, and every
  // replica keeps its own cache (services/appointment, docs/identity.md).
  appointmentIdentity: { stream: STREAMS.identity.name, durable: 'appointment-identity', filterSubject: SUBJECTS.identityChangedV1 },
  // Marks an attendee's delivery failed on the organizer's copy when our invitation bounced.
  appointmentBounces: { stream: STREAMS.mail.name, durable: 'appointment-bounces', filterSubject: SUBJECTS.mailBouncedV1 },
} as const satisfies Record<string, ConsumerSpec>;
