/**
 * Stable error codes raised by the messaging library (house-style.md §3 and §8), thrown as the
 * codebase's one error type, `AppError` from @inviteflow/runtime. They are part of the contract
 * with operators: log lines and dead letters carry them, so never rename one; add a new code
 * instead (and a row in docs/error-codes.md).
 */
export const MESSAGING_ERROR_CODES = {
  /** A publish was attempted without a business-key message id. */
  msgIdRequired: 'MSG_ID_REQUIRED',
  /** A retry policy that JetStream would reject or that would redeliver forever. */
  invalidRetryPolicy: 'INVALID_RETRY_POLICY',
  /** A consumer was started with a concurrency that is not a positive integer. */
  invalidConcurrency: 'INVALID_CONCURRENCY',
  /** No stream captured the subject, or JetStream did not answer in time. */
  publishFailed: 'PUBLISH_FAILED',
  /** A message could not be dead-lettered; it was nak'ed instead of acked. */
  deadLetterPublishFailed: 'DEAD_LETTER_PUBLISH_FAILED',
  /** A raw-mail reference points at an object that is not in the bucket. */
  rawMailNotFound: 'RAW_MAIL_NOT_FOUND',
  /** The stored raw mail is not the one the event referenced (sha256 differs). */
  rawMailDigestMismatch: 'RAW_MAIL_DIGEST_MISMATCH',
  /** A chunk of the raw mail was missing or the sizes did not add up (replaced, or a lagging replica). */
  rawMailReadIncomplete: 'RAW_MAIL_READ_INCOMPLETE',
  /** RAW_INLINE_MAX_BYTES (with its headroom) is larger than a NATS message or a stream's max_msg_size allows; start-up fails. */
  rawInlineLimitTooLarge: 'RAW_INLINE_LIMIT_TOO_LARGE',
  /** An event payload is not the protobuf message its subject promises. */
  eventUndecodable: 'EVENT_UNDECODABLE',
  /** Auth is on (the default) but no nkey seed file is configured (NATS_NKEY_SEED_FILE). */
  natsCredentialsMissing: 'NATS_CREDENTIALS_MISSING',
  /** The configured nkey seed file cannot be read or holds no user seed. */
  natsCredentialsUnreadable: 'NATS_CREDENTIALS_UNREADABLE',
  /** Fallback code for a dead letter whose error carried no code of its own. */
  unexpected: 'UNEXPECTED',
} as const;

export type MessagingErrorCode = (typeof MESSAGING_ERROR_CODES)[keyof typeof MESSAGING_ERROR_CODES];
