// Signed RSVP tokens (issue 11 §4): `<key id>.<payload>.<signature>`, each part base64url
// (RFC 4648 §5), so a token is one URL path segment with nothing to escape. The payload is a
// compact JSON object; the signature is HMAC-SHA256 (RFC 2104) over `<key id>.<payload>` with
// the key that id names, truncated to 128 bits (RFC 2104 §5 allows truncation to half the
// hash; NIST SP 800-107 §5.3.4: 128 bits is ample against forgery). Pure: no clock, no I/O.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a click means: RFC 5545 §3.2.12 PARTSTAT values an attendee may answer with. */
export const RSVP_ANSWERS = { accept: 'ACCEPTED', tentative: 'TENTATIVE', decline: 'DECLINED' } as const;
export type RsvpChoice = keyof typeof RSVP_ANSWERS;
export type RsvpPartstat = (typeof RSVP_ANSWERS)[RsvpChoice];

/** Everything a click is bound to: who answers what, for which meeting version, until when. */
export interface RsvpClaims {
  /** The attendee (lowercase address): the only party the link answers for. */
  attendee: string;
  /** The organizer's address: the REPLY goes to their copy. */
  organizer: string;
  uid: string;
  /** RECURRENCE-ID (UTC instant as the command carried it) when the REQUEST was for one instance; '' otherwise. */
  recurrenceId: string;
  /** SEQUENCE of the REQUEST the link came with (RFC 5546 §2.1.4: a later one makes it outdated). */
  sequence: number;
  partstat: RsvpPartstat;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

export interface RsvpKey {
  /** Short URL-safe id, written into every token so a rotated-out key can still verify. */
  id: string;
  secret: Buffer;
}

/** Keys by id; `signing` is the one new tokens use, the others only verify (rotation). */
export interface RsvpKeyring {
  signing: RsvpKey;
  byId: ReadonlyMap<string, RsvpKey>;
}

export type VerifyResult =
  | { ok: true; claims: RsvpClaims; tokenId: string }
  | { ok: false; reason: 'MALFORMED' | 'FORGED' | 'UNKNOWN_KEY' }
  | { ok: false; reason: 'EXPIRED'; claims: RsvpClaims };

const SIGNATURE_BYTES = 16;
const PARTSTATS = new Set<string>(Object.values(RSVP_ANSWERS));
/** Longer than any real link (an Outlook UID is 112 characters); bounds the work a request can ask for. */
export const MAX_TOKEN_LENGTH = 2048;

/** The wire payload: short keys keep the URL compact; `v` versions the format. */
interface WirePayload {
  v: 1;
  a: string;
  o: string;
  u: string;
  r?: string;
  s: number;
  p: string;
  e: number;
}

const b64 = (bytes: Buffer): string => bytes.toString('base64url');

function mac(key: RsvpKey, signed: string): Buffer {
  return createHmac('sha256', key.secret).update(signed).digest().subarray(0, SIGNATURE_BYTES);
}

export function signToken(claims: RsvpClaims, key: RsvpKey): string {
  const wire: WirePayload = {
    v: 1, a: claims.attendee.toLowerCase(), o: claims.organizer.toLowerCase(), u: claims.uid,
    ...(claims.recurrenceId ? { r: claims.recurrenceId } : {}), s: claims.sequence, p: claims.partstat, e: claims.expiresAt,
  };
  const signed = `${key.id}.${b64(Buffer.from(JSON.stringify(wire), 'utf8'))}`;
  return `${signed}.${b64(mac(key, signed))}`;
}

/**
 * The id a click is recorded under (`rsvp:<id>`): the same token is always the same id, and the
 * three links of one mail have three ids. Derived from the whole token, so it names nothing secret.
 */
export function tokenIdOf(token: string): string {
  return createHash('sha256').update(token).digest().subarray(0, 12).toString('base64url');
}

/** Checks shape, key, signature (constant time), then expiry — in that order, so nothing unsigned is ever read as claims. */
export function verifyToken(token: string, keyring: RsvpKeyring, nowMs: number): VerifyResult {
  const parts = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return { ok: false, reason: 'MALFORMED' };
  const [keyId, payload, signature] = parts as [string, string, string];
  const key = keyring.byId.get(keyId);
  if (!key) return { ok: false, reason: 'UNKNOWN_KEY' };
  const expected = mac(key, `${keyId}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'FORGED' };
  const claims = claimsOf(payload);
  if (!claims) return { ok: false, reason: 'MALFORMED' };
  if (claims.expiresAt * 1000 <= nowMs) return { ok: false, reason: 'EXPIRED', claims };
  return { ok: true, claims, tokenId: tokenIdOf(token) };
}

/** A signed payload of another format version or shape is refused rather than half-read. */
function claimsOf(payload: string): RsvpClaims | undefined {
  let wire: Partial<WirePayload>;
  try {
    wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<WirePayload>;
  } catch {
    return undefined;
  }
  const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (wire?.v !== 1 || !text(wire.a) || !text(wire.o) || !text(wire.u) || !int(wire.s) || !int(wire.e) || !PARTSTATS.has(wire.p ?? '')) return undefined;
  if (wire.r !== undefined && !text(wire.r)) return undefined;
  return {
    attendee: wire.a, organizer: wire.o, uid: wire.u, recurrenceId: wire.r ?? '', sequence: wire.s,
    partstat: wire.p as RsvpPartstat, expiresAt: wire.e,
  };
}
