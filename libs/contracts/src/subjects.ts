// Every NATS subject the system uses, as constants (house-style.md §2):
// `<domain>.<event>.v<major>`; the version belongs to one event's payload schema.
export const SUBJECTS = {
  mailReceivedV1: 'mail.received.v1',
  mailIgnoredV1: 'mail.ignored.v1',
  mailRejectedV1: 'mail.rejected.v1',
  inviteParsedV1: 'invite.parsed.v1',
  appointmentScheduledV1: 'appointment.scheduled.v1',
  appointmentUpdatedV1: 'appointment.updated.v1',
  appointmentCancelledV1: 'appointment.cancelled.v1',
  // A copy the invite system created before the calendar synchronizer was switched on is not
  // kept in sync by it (issue 10 §4): the external calendar marks its side too.
  appointmentNotInSyncV1: 'appointment.not-in-sync.v1',
  mailOutboundRequestedV1: 'mail.outbound-requested.v1',
  mailSentV1: 'mail.sent.v1',
  mailFailedV1: 'mail.failed.v1',
  // A bounce (DSN) of one of our mails, per failed recipient (issue 11 §5).
  mailBouncedV1: 'mail.bounced.v1',
  identityChangedV1: 'identity.changed.v1',
} as const;

export type Subject = (typeof SUBJECTS)[keyof typeof SUBJECTS];

/** Dead letters keep the original subject under this prefix: `dlq.invite.parsed.v1`. */
export const DEAD_LETTER_PREFIX = 'dlq';

export function deadLetterSubject(subject: string): string {
  return `${DEAD_LETTER_PREFIX}.${subject}`;
}

/** Headers the messaging layer sets on a dead letter, so the reason travels with it. */
export const DEAD_LETTER_HEADERS = {
  reason: 'Inviteflow-Dlq-Reason',
  code: 'Inviteflow-Dlq-Code',
  originalSubject: 'Inviteflow-Dlq-Subject',
  deliveries: 'Inviteflow-Dlq-Deliveries',
  stream: 'Inviteflow-Dlq-Stream',
  consumer: 'Inviteflow-Dlq-Consumer',
} as const;
