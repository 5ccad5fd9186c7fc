import { AppError } from '@inviteflow/runtime';

/** Codes of the mailbox intake (listed in docs/error-codes.md, "Ingest"). */
export const IMAP_ERROR_CODES = {
  /** The server refused the login (wrong password or expired OAuth2 token). */
  authFailed: 'IMAP_AUTH_FAILED',
  /** The configured folder does not exist on the server. */
  folderMissing: 'IMAP_FOLDER_MISSING',
  /** Connecting, or a command on an open connection, failed (unreachable, dropped, timed out). */
  connectionFailed: 'IMAP_CONNECTION_FAILED',
  /** A message could not be stored or announced; it is tried again, the checkpoint did not move. */
  messageFailed: 'IMAP_MESSAGE_FAILED',
  /** A message is larger than MAX_MESSAGE_BYTES: flagged and passed over, not retried. */
  messageTooLarge: 'IMAP_MESSAGE_TOO_LARGE',
} as const;

type ImapErrorCode = (typeof IMAP_ERROR_CODES)[keyof typeof IMAP_ERROR_CODES];

export function imapError(code: ImapErrorCode, message: string, cause?: unknown): AppError {
  return new AppError({ code, message, retryable: true, cause });
}

/**
 * Names what went wrong from imapflow's error shape. Every one is retried with backoff: a
 * password can be fixed and a folder created while ingest runs. Server text only, never the
 * credentials (imapflow does not echo them).
 */
export function classifyImapError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as { authenticationFailed?: boolean; mailboxMissing?: boolean; serverResponseCode?: string; responseText?: string; message?: string };
  const text = e.responseText || e.message || String(err);
  if (e.authenticationFailed) return imapError(IMAP_ERROR_CODES.authFailed, `login refused: ${text}`, err);
  if (e.mailboxMissing || e.serverResponseCode === 'NONEXISTENT') return imapError(IMAP_ERROR_CODES.folderMissing, `folder not found: ${text}`, err);
  return imapError(IMAP_ERROR_CODES.connectionFailed, text, err);
}
