/**
 * Stable error codes raised by the messaging library (house-style.md §3 and §8). They are
 * part of the contract with operators: log lines and dead letters carry them, so never
 * rename one; add a new code instead.
 */
export const MESSAGING_ERROR_CODES = {
  /** A publish was attempted without a business-key message id. */
  msgIdRequired: 'MSG_ID_REQUIRED',
  /** A retry policy that JetStream would reject or that would redeliver forever. */
  invalidRetryPolicy: 'INVALID_RETRY_POLICY',
  /** No stream captured the subject, or JetStream did not answer in time. */
  publishFailed: 'PUBLISH_FAILED',
  /** A message could not be dead-lettered; it was nak'ed instead of acked. */
  deadLetterPublishFailed: 'DEAD_LETTER_PUBLISH_FAILED',
  /** A raw-mail reference points at an object that is not in the bucket. */
  rawMailNotFound: 'RAW_MAIL_NOT_FOUND',
  /** The stored raw mail is not the one the event referenced (sha256 differs). */
  rawMailDigestMismatch: 'RAW_MAIL_DIGEST_MISMATCH',
  /** Fallback code for a dead letter whose error carried no code of its own. */
  unexpected: 'UNEXPECTED',
} as const;

export type MessagingErrorCode = (typeof MESSAGING_ERROR_CODES)[keyof typeof MESSAGING_ERROR_CODES];

/**
 * The library's own error. It has the same shape as the service-wide AppError
 * (`code` + `retryable`), so `classify()` treats both alike without importing runtime.
 */
export class MessagingError extends Error {
  readonly code: MessagingErrorCode;
  readonly retryable: boolean;

  constructor(args: { code: MessagingErrorCode; message: string; retryable: boolean; cause?: unknown }) {
    super(args.message, args.cause === undefined ? undefined : { cause: args.cause });
    this.name = 'MessagingError';
    this.code = args.code;
    this.retryable = args.retryable;
  }
}
