import { AppError } from '@inviteflow/runtime';

/**
 * Codes ingest raises or logs (listed in docs/error-codes.md, "Ingest"). Each SMTP refusal is an
 * AppError that also carries the reply code smtp-server sends (`responseCode`); the message starts
 * with the enhanced status code (RFC 3463) because smtp-server does not add one here.
 */
export const INGEST_ERROR_CODES = {
  /** 550 5.7.1 at RCPT: not a domain we accept mail for. */
  recipientRefused: 'RECIPIENT_REFUSED',
  /** 552 5.3.4 after DATA: the message is larger than MAX_MESSAGE_BYTES. */
  messageTooLarge: 'MESSAGE_TOO_LARGE',
  /** 451 4.3.0 after DATA: the raw bytes could not be stored or announced; the client retries. */
  rawMailStoreFailed: 'RAW_MAIL_STORE_FAILED',
  /** 421 4.4.2: the transaction took longer than SMTP_TRANSACTION_TIMEOUT_MS. */
  transactionTimeout: 'SMTP_TRANSACTION_TIMEOUT',
  /** 421 4.4.2: DATA arrived slower than SMTP_MIN_DATA_RATE_BPS after the grace window. */
  dataTooSlow: 'SMTP_DATA_TOO_SLOW',
  /** The client went away before the end of DATA; nothing was stored (log only). */
  clientDisconnected: 'SMTP_CLIENT_DISCONNECTED',
  /** 421 4.7.0 at connect: the client address holds SMTP_MAX_CONNECTIONS_PER_IP connections already. */
  tooManyConnections: 'SMTP_TOO_MANY_CONNECTIONS',
  /** 535 5.7.8 on the submission port: AUTH with an unknown user or a wrong password (RFC 4954 §6). */
  authFailed: 'SMTP_AUTH_FAILED',
} as const;

export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[keyof typeof INGEST_ERROR_CODES];

/** An AppError smtp-server can answer with: it reads `responseCode` and `message`. */
export type SmtpRefusal = AppError & { readonly responseCode: number };

export function smtpRefusal(args: {
  code: IngestErrorCode;
  responseCode: number;
  message: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}): SmtpRefusal {
  // 4xx replies are transient by definition (RFC 5321 §4.2.1): the client may try again.
  const error = new AppError({
    code: args.code, message: args.message, retryable: args.responseCode < 500, cause: args.cause,
    details: { ...args.details, responseCode: args.responseCode },
  });
  return Object.assign(error, { responseCode: args.responseCode });
}

export function isSmtpRefusal(err: unknown): err is SmtpRefusal {
  return err instanceof AppError && typeof (err as Partial<SmtpRefusal>).responseCode === 'number';
}

export function messageTooLarge(limit: number): SmtpRefusal {
  // RFC 1870 §4: a message over the size announced in EHLO is refused with 552, sent (RFC 5321
  // §4.1.1.4) only after the client's end-of-data indication.
  return smtpRefusal({
    code: INGEST_ERROR_CODES.messageTooLarge, responseCode: 552,
    message: `5.3.4 message exceeds the ${limit}-byte limit`, details: { limit },
  });
}
