// Inline iCalendar → the normalised iTIP messages libs/itip consumes, through the real parser, so
// the scheduling tables test what production will feed the broker (house-style.md §5, §7).
import type { eventsV1 } from '@inviteflow/proto-gen';
// A fixture built by hand instead of by the parser would drift from invite.parsed.v1; lint lets
// this library's tests (only) use the parser's core (eslint.config.mjs, boundaries in tests).
import { parseCalendarText } from '@inviteflow/parser-core';

export interface InviteFixtureOptions {
  /** Envelope recipients (RFC 5321 RCPT TO), lowercase addresses. */
  envelopeTo?: string[];
  /** Envelope sender (RFC 5321 MAIL FROM). */
  from?: string;
  mailId?: string;
}

/** Every InviteParsed the parser makes of `text`; throws (a test set-up error) when it makes none. */
export function invitesFromIcs(text: string, options: InviteFixtureOptions = {}): eventsV1.InviteParsed[] {
  const outcome = parseCalendarText(text, {
    mailId: options.mailId ?? 'mail-test',
    envelopeFrom: options.from ?? '',
    envelopeTo: options.envelopeTo ?? [],
  });
  if (outcome.kind !== 'parsed') throw new TypeError(`fixture did not parse: ${outcome.kind} ${outcome.reasonCode} ${outcome.detail}`);
  return outcome.invites;
}

/** The one InviteParsed of `text` (one UID). */
export function inviteFromIcs(text: string, options: InviteFixtureOptions = {}): eventsV1.InviteParsed {
  const invites = invitesFromIcs(text, options);
  if (invites.length !== 1) throw new TypeError(`fixture has ${invites.length} UIDs; expected one`);
  return invites[0]!;
}
