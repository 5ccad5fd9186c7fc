import type { eventsV1 } from '@inviteflow/proto-gen';
import type { RsvpLinkFactory, RsvpLinks } from '../render/render.types';
import { RSVP_ANSWERS, signToken, type RsvpChoice, type RsvpKeyring } from './rsvp.token';

const DAY_MS = 86_400_000;

export interface LinkFactoryOptions {
  keyring: RsvpKeyring;
  /** The endpoint as recipients reach it, without a trailing slash (links: `<base>/rsvp/<token>`). */
  publicBaseUrl: string;
  ttlDays: number;
  /** Used only for a command without requested_at. */
  now: () => Date;
}

/** The path a token is served under; the HTTP server routes on the same prefix. */
export const RSVP_PATH = '/rsvp/';

/**
 * Links are valid `ttlDays` from when the REQUEST was made, and at least until a day after the
 * meeting (its first instance) ends, so an invitation sent months ahead can still be answered.
 * Derived from the command alone: a retried render gives the same links, hence the same mail.
 */
export function expiryOf(cmd: eventsV1.OutboundRequested, ttlDays: number, now: () => Date): number {
  const issued = (cmd.requestedAt ?? now()).getTime();
  const meetingEnd = (cmd.end ?? cmd.start)?.getTime() ?? 0;
  return Math.floor(Math.max(issued + ttlDays * DAY_MS, meetingEnd + DAY_MS) / 1000);
}

/**
 * RsvpLinkFactory (render/render.types.ts): Accept / Tentative / Decline for the recipient of a
 * REQUEST, one signed token each, bound to that attendee, the organizer, the UID, the instance
 * (RECURRENCE-ID when the REQUEST is for one) and the SEQUENCE. Nothing for other methods: a
 * CANCEL or REPLY asks no answer (RFC 5546 §3.2.2 REQUEST is the one that does).
 */
export function createRsvpLinkFactory(o: LinkFactoryOptions): RsvpLinkFactory {
  return (cmd, recipient) => {
    const organizer = cmd.organizer?.address.toLowerCase() ?? '';
    const attendee = recipient.toLowerCase();
    if (cmd.method.toUpperCase() !== 'REQUEST' || !cmd.uid || !organizer || !attendee || attendee === organizer) return undefined;
    const expiresAt = expiryOf(cmd, o.ttlDays, o.now);
    const link = (choice: RsvpChoice): string => {
      const token = signToken({
        attendee, organizer, uid: cmd.uid, recurrenceId: cmd.recurrenceId, sequence: cmd.sequence, partstat: RSVP_ANSWERS[choice], expiresAt,
      }, o.keyring.signing);
      return `${o.publicBaseUrl}${RSVP_PATH}${token}`;
    };
    const links: RsvpLinks = { accept: link('accept'), tentative: link('tentative'), decline: link('decline') };
    return links;
  };
}
