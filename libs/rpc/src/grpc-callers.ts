// Per-caller bearer tokens for gRPC servers (issue 15 §2). A server knows each caller by an id
// and the SHA-256 of its token, never the token itself, so its callers file may be read by
// more people than the token (a Kubernetes Secret mounted only into the caller).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Metadata, status } from '@grpc/grpc-js';

/** Metadata key of the credential: `authorization: Bearer <token>` (RFC 6750 §2.1, as gRPC's own call credentials). */
export const AUTHORIZATION_METADATA_KEY = 'authorization';

/** Codes of gRPC security, mirrored in docs/error-codes.md (a unit test keeps them in step). */
export const GRPC_SECURITY_CODES = {
  unauthenticated: 'GRPC_UNAUTHENTICATED',
  /** Log only: a service started with GRPC_SECURITY=off. */
  securityOff: 'GRPC_SECURITY_OFF',
} as const;

export interface CallerEntry {
  id: string;
  /** SHA-256 of the token, 32 bytes. */
  tokenHash: Buffer;
}

/** Outcome of checking one call's credential. */
export type CallerCheck =
  | { ok: true; caller: string }
  | { ok: false; code: status.UNAUTHENTICATED; reason: 'GRPC_UNAUTHENTICATED'; message: string };

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The line a callers file holds for `id` with `token`: `id:<sha256 hex>`. */
export function callerLine(id: string, token: string): string {
  return `${id}:${hashToken(token).toString('hex')}`;
}

const CALLER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Parses a callers file: one `id:sha256hex` per line; blank lines and `#` comments skipped.
 * Returns the entries and a description of every bad line (by number, never its content).
 */
export function parseCallers(text: string): { callers: CallerEntry[]; problems: string[] } {
  const callers: CallerEntry[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const sep = line.lastIndexOf(':');
    const id = line.slice(0, Math.max(sep, 0));
    const hex = line.slice(sep + 1).toLowerCase();
    if (sep < 0 || !CALLER_ID.test(id) || !SHA256_HEX.test(hex)) problems.push(`line ${i + 1} is not "id:<64 hex digits of SHA-256>"`);
    else callers.push({ id, tokenHash: Buffer.from(hex, 'hex') });
  });
  if (callers.length === 0 && problems.length === 0) problems.push('no callers listed');
  return { callers, problems };
}

/** The bearer token of a call, if it carries one. */
export function bearerToken(metadata: Metadata): string | undefined {
  const value = metadata.get(AUTHORIZATION_METADATA_KEY)[0];
  if (typeof value !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return m ? m[1] : undefined;
}

/**
 * Checks a call's token against every known caller. Every entry is compared, each with
 * timingSafeEqual on fixed-length hashes, so the time taken says nothing about which entry
 * (or how much of one) matched.
 */
export function checkCaller(callers: readonly CallerEntry[], metadata: Metadata): CallerCheck {
  const token = bearerToken(metadata);
  if (token === undefined) {
    return { ok: false, code: status.UNAUTHENTICATED, reason: 'GRPC_UNAUTHENTICATED', message: 'no caller credential: send "authorization: Bearer <token>"' };
  }
  const presented = hashToken(token);
  let match: string | undefined;
  for (const c of callers) if (timingSafeEqual(c.tokenHash, presented) && match === undefined) match = c.id;
  if (match === undefined) {
    // UNAUTHENTICATED, not PERMISSION_DENIED: an unknown token identifies nobody (gRPC status codes).
    return { ok: false, code: status.UNAUTHENTICATED, reason: 'GRPC_UNAUTHENTICATED', message: 'caller credential not accepted by this service' };
  }
  return { ok: true, caller: match };
}
