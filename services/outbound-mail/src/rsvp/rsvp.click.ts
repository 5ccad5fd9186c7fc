import { SUBJECTS } from '@inviteflow/contracts';
import { eventsV1 } from '@inviteflow/proto-gen';
import { isAppError } from '@inviteflow/runtime';
import type { OrganizerCopyLookup } from './rsvp.appointment.client';
import { judgeClick, type MeetingVerdict } from './rsvp.meeting-check';
import { replyOf, rsvpMailId } from './rsvp.reply';
import { verifyToken, type RsvpClaims, type RsvpKeyring } from './rsvp.token';

/** What the page says: one kind per distinct situation the attendee may be in. */
export type ClickOutcome =
  | { kind: 'confirm'; claims: RsvpClaims; summary: string; start?: Date }
  | { kind: 'applied'; claims: RsvpClaims; summary: string; checked: boolean }
  | { kind: 'already'; claims: RsvpClaims; summary: string }
  | { kind: 'malformed' | 'forged' | 'unknown' | 'unavailable' }
  | { kind: 'expired' | 'cancelled' | 'not-invited'; claims: RsvpClaims; summary: string }
  | { kind: 'outdated'; claims: RsvpClaims; summary: string; current: number };

export interface ClickLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface ClickDeps {
  keyring: RsvpKeyring;
  /** Unset: clicks are applied without reading the copy first (APPOINTMENT_GRPC_ADDR). */
  organizerCopy?: OrganizerCopyLookup;
  publish(subject: string, payload: Uint8Array, msgId: string): Promise<unknown>;
  now: () => Date;
  log: ClickLogger;
}

/**
 * One request for one token. GET only reads (the confirmation page); POST applies: the REPLY
 * goes on invite.parsed.v1 for the scheduling agent, exactly as the parser would hand on a REPLY
 * mail. Nothing is published for a token that fails verification or for a meeting that moved on.
 */
export async function handleClick(deps: ClickDeps, method: 'GET' | 'POST', token: string): Promise<ClickOutcome> {
  const verified = verifyToken(token, deps.keyring, deps.now().getTime());
  if (!verified.ok) {
    deps.log.info({ code: `RSVP_TOKEN_${verified.reason}`, method }, 'rsvp link refused');
    if (verified.reason === 'EXPIRED') return { kind: 'expired', claims: verified.claims, summary: '' };
    return { kind: verified.reason === 'MALFORMED' ? 'malformed' : 'forged' };
  }
  const { claims, tokenId } = verified;
  const verdict = await check(deps, claims);
  const refusal = refusalOf(verdict, claims);
  if (refusal) {
    deps.log.info({ code: `RSVP_LINK_${refusal.kind.toUpperCase().replace('-', '_')}`, mailId: rsvpMailId(tokenId), uid: claims.uid }, 'rsvp link refused');
    return refusal;
  }
  const summary = verdict && 'summary' in verdict ? verdict.summary : '';
  if (verdict?.kind === 'already') return { kind: 'already', claims, summary };
  if (method === 'GET') return { kind: 'confirm', claims, summary, start: verdict?.kind === 'apply' ? verdict.start : undefined };
  return publishReply(deps, claims, tokenId, verdict, summary);
}

async function check(deps: ClickDeps, claims: RsvpClaims): Promise<MeetingVerdict | undefined> {
  if (!deps.organizerCopy) return undefined;
  try {
    return judgeClick(await deps.organizerCopy(claims.uid, claims.organizer), claims);
  } catch (err) {
    // The click still counts: it waits durably on the stream and the scheduling agent judges it
    // (a stale one is refused and recorded there); only the page is less precise.
    deps.log.warn({ code: isAppError(err) ? err.code : 'RSVP_CHECK_UNAVAILABLE', uid: claims.uid, err: (err as Error).message }, 'rsvp check skipped');
    return undefined;
  }
}

function refusalOf(v: MeetingVerdict | undefined, claims: RsvpClaims): ClickOutcome | undefined {
  switch (v?.kind) {
    case undefined:
    case 'apply':
    case 'already':
      return undefined;
    case 'unknown':
      return { kind: 'unknown' };
    case 'outdated':
      return { kind: 'outdated', claims, summary: v.summary, current: v.current };
    case 'cancelled':
    case 'not-invited':
      return { kind: v.kind, claims, summary: v.summary };
    default:
      return v satisfies never;
  }
}

async function publishReply(deps: ClickDeps, claims: RsvpClaims, tokenId: string, verdict: MeetingVerdict | undefined, summary: string): Promise<ClickOutcome> {
  const reply = replyOf(claims, tokenId, deps.now());
  // One click, one message: the same link clicked twice before anything changed is one msgID
  // (JetStream drops the second within its duplicate window); after the answer it would
  // replace was replaced, it is a new message (`seen` differs). Unchecked: the token alone.
  const msgId = verdict?.kind === 'apply' ? `${reply.mailId}:${verdict.seen}` : reply.mailId;
  try {
    await deps.publish(SUBJECTS.inviteParsedV1, eventsV1.InviteParsed.encode(reply).finish(), msgId);
  } catch (err) {
    deps.log.warn({ code: isAppError(err) ? err.code : 'PUBLISH_FAILED', mailId: reply.mailId, err: (err as Error).message }, 'rsvp reply not published');
    return { kind: 'unavailable' };
  }
  deps.log.info({ mailId: reply.mailId, uid: claims.uid, attendee: claims.attendee, partstat: claims.partstat, checked: verdict !== undefined }, 'rsvp reply published');
  return { kind: 'applied', claims, summary, checked: verdict !== undefined };
}
