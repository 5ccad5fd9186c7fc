import type { eventsV1 } from '@inviteflow/proto-gen';

// The contract between rendering (render/), RSVP links (rsvp/) and delivery (delivery/): a
// command on mail.outbound-requested.v1 becomes one ready-to-send message per recipient.

/** Accept / Tentative / Decline links for one external attendee of one REQUEST (issue 11 §4). */
export interface RsvpLinks {
  accept: string;
  tentative: string;
  decline: string;
}

/** Makes the links for a command's recipient; undefined when the command gets none (not a REQUEST, or links are off). */
export type RsvpLinkFactory = (cmd: eventsV1.OutboundRequested, recipient: string) => RsvpLinks | undefined;

/** Who the mail is from (issue 11 §2): the organizer, or a service address with the organizer as Sender/Reply-To. */
export type FromPolicy = { kind: 'organizer' } | { kind: 'service'; address: string; name: string };

export interface RenderOptions {
  from: FromPolicy;
  /** Domain of the Message-IDs derived from the command's business key (a retry is the same mail). */
  messageIdDomain: string;
  rsvpLinks?: RsvpLinkFactory;
  /** The clock, for DTSTAMP when a command carries none. */
  now: () => Date;
}

/** One rendered message for one recipient. */
export interface RenderedMail {
  /** With angle brackets, derived from the business key and the recipient. */
  messageId: string;
  envelope: { from: string; to: string[] };
  /** The whole RFC 5322 message (CRLF line ends). */
  raw: Buffer;
  /** The iCalendar object it carries (text/calendar and the .ics attachment), for tests and audit. */
  calendar: string;
  locale: string;
  subject: string;
}

/**
 * The renderer delivery calls: pure (no I/O); rejects with AppError RENDER_FAILED (not retryable)
 * with a reason for a command it cannot render. A Promise because nodemailer's MailComposer only
 * builds a message asynchronously (a stream), even from in-memory parts.
 */
export type RenderOutboundMail = (cmd: eventsV1.OutboundRequested, recipient: string, options: RenderOptions) => Promise<RenderedMail>;
