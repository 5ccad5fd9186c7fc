// Shape note for imap-admin (status as kept by the poller and stored in mailbox_status):
// MailboxState gained 'standby' (another ingest replica holds this mailbox's lease);
// MailboxStatus gained `tooLarge` (messages passed over for exceeding MAX_MESSAGE_BYTES, always
// present, 0 at start) and `lastTooLarge?` ({ uid, size, at }); everything else is unchanged.
/** What happens to a message once it is stored and announced. Never deleted (issue 12 point 3). */
export type AfterProcessing = { kind: 'flag'; flag: string } | { kind: 'move'; folder: string };

/** IMAP keyword set on processed messages by default (RFC 3501 §2.3.2: a keyword, not a system flag). */
export const DEFAULT_PROCESSED_FLAG = '$InviteflowProcessed';

/** Login: a password, or an OAuth2 bearer token (SASL XOAUTH2 / OAUTHBEARER, RFC 7628). */
export type MailboxAuth = { user: string; password: string } | { user: string; accessToken: string };

/** A mailbox the operator configured. `auth` is a secret: never logged, printed or returned. */
export interface MailboxDefinition {
  id: string;
  host: string;
  port: number;
  /** Implicit TLS (IMAPS, RFC 8314); false: plain, STARTTLS when the server offers it. */
  tls: boolean;
  auth: MailboxAuth | MailboxAuthRef;
  folder: string;
  after: AfterProcessing;
  /** Scan interval of this mailbox; unset: IMAP_POLL_INTERVAL_MS (mailbox admin, src/grpc). */
  pollIntervalMs?: number;
}

// --- Secret references (mailbox admin, src/secrets/mailbox-secret.ts) ---
/** Where ingest reads a secret when it connects: a file (a mounted Kubernetes Secret) or an env variable. */
export type SecretRef = { file: string } | { env: string };

/** A login whose secret is not stored, only where to read it; resolveMailboxAuth turns it into MailboxAuth. */
export type MailboxAuthRef = { user: string; passwordRef: SecretRef } | { user: string; accessTokenRef: SecretRef };
// --- end secret references ---

/** Highest UID processed, valid only under the same UIDVALIDITY (RFC 3501 §2.3.1.1). */
export interface MailboxCheckpoint {
  uidValidity: string;
  lastUid: number;
}

/** 'standby': another ingest replica holds the mailbox's lease; this one waits to take over. */
export type MailboxState = 'connecting' | 'connected' | 'retrying' | 'standby' | 'stopped';

export interface MailboxStatus {
  mailboxId: string;
  state: MailboxState;
  connected: boolean;
  /** Last time the server answered (connected, fetched, or reported new mail). */
  lastSeenAt?: Date;
  /** End of the last scan above the checkpoint (the messages found are then in `backlog`). */
  lastScanAt?: Date;
  lastError?: { code: string; message: string; at: Date };
  /** Messages above the checkpoint not yet processed, as of the last scan. */
  backlog: number;
  processed: number;
  /** Messages passed over for exceeding MAX_MESSAGE_BYTES (flagged, never downloaded). */
  tooLarge: number;
  lastTooLarge?: { uid: number; size: number; at: Date };
}

/** The definition without its secret, for logs and listings. */
export function publicMailbox(def: MailboxDefinition): Omit<MailboxDefinition, 'auth'> & { user: string; authKind: 'password' | 'oauth2' } {
  const { auth, ...rest } = def;
  return { ...rest, user: auth.user, authKind: 'accessToken' in auth || 'accessTokenRef' in auth ? 'oauth2' : 'password' };
}
