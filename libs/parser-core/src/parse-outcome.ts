// What parsing one delivered message (or one bare .ics) can end in. Every input ends in exactly
// one of these three outcomes; the parser never throws for anything the sender controls.
import type { eventsV1 } from '@inviteflow/proto-gen';
import { assertNever } from '@inviteflow/contracts';
import type { DeliveryReport } from './dsn-report';

/** Nothing to schedule, and nothing wrong: the mail simply is not an invitation. */
export const IGNORED_REASONS = [
  'NO_CALENDAR_CONTENT',
  'DELIVERY_STATUS_NOTIFICATION',
  'NO_EVENT_COMPONENTS',
] as const;
export type IgnoredReason = (typeof IGNORED_REASONS)[number];

/** The sender meant an invitation but it cannot be used; recorded so an operator can see why. */
export const REJECTED_REASONS = [
  'TOO_LARGE',
  'MALFORMED_MIME',
  'MALFORMED_ICALENDAR',
  'UNSUPPORTED_METHOD',
  'MISSING_UID',
  'MISSING_DTSTART',
  'INVALID_DATE',
  // An Outlook meeting sent only as TNEF winmail.dat (MAPI properties, no iCalendar).
  'TNEF_MEETING_UNSUPPORTED',
  // MIME multiparts nested deeper than ParseLimits.maxMimeDepth.
  'MIME_TOO_DEEP',
  // Parsing took longer than the wall-clock budget (parseMailBounded); the work was abandoned.
  'TIME_BUDGET_EXCEEDED',
  // An exception escaped a library on this input: most likely our bug, never the sender's.
  'PARSER_FAILURE',
] as const;
export type RejectedReason = (typeof REJECTED_REASONS)[number];

export interface ParsedOutcome {
  kind: 'parsed';
  /** One per UID, in the order the UIDs first appear in the message. */
  invites: eventsV1.InviteParsed[];
}
export interface IgnoredOutcome {
  kind: 'ignored';
  reasonCode: IgnoredReason;
  detail: string;
  /** DELIVERY_STATUS_NOTIFICATION: what the report says failed, and for which message (dsn-report.ts). */
  bounce?: DeliveryReport;
}
export interface RejectedOutcome {
  kind: 'rejected';
  reasonCode: RejectedReason;
  detail: string;
}
export type ParseOutcome = ParsedOutcome | IgnoredOutcome | RejectedOutcome;

/** Who delivered the message to us: from the SMTP/IMAP envelope, never from its headers. */
export interface MailParseContext {
  mailId: string;
  envelopeFrom: string;
  envelopeTo: string[];
}

/** Upper bounds that keep one hostile message from costing unbounded memory or CPU. */
export interface ParseLimits {
  /** The raw message as delivered. */
  maxMessageBytes: number;
  /** The header block of one MIME part (mailparser `maxHeadSize`). */
  maxHeaderBytes: number;
  /** MIME parts in one message (mailparser `maxChildNodes`). */
  maxMimeParts: number;
  /** Multiparts nested inside one another (mime-depth.ts; mailparser has no such bound). */
  maxMimeDepth: number;
  /** Calendar-carrying parts in one message. */
  maxCalendarParts: number;
  /** Decoded text of one calendar part or bare .ics. */
  maxCalendarBytes: number;
  /** VEVENTs across the whole message. */
  maxEvents: number;
  /**
   * Components of every kind (VEVENT, VALARM, VTIMEZONE and its observances…) in one calendar
   * part: each VTIMEZONE observance may be expanded, so their number bounds that work.
   */
  maxComponents: number;
  /** RDATE plus EXDATE values of one VEVENT. The parser expands no recurrence itself. */
  maxRecurrenceDates: number;
  /** Distinct TZIDs resolved in one message: each VTIMEZONE's rules are expanded (vtimezone.ts). */
  maxTimeZones: number;
}

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxMessageBytes: 25 * 1024 * 1024, // the usual MTA message size limit
  maxHeaderBytes: 256 * 1024,
  maxMimeParts: 500,
  maxMimeDepth: 20, // Apple's alternative-inside-mixed is 3 deep; nobody writes 20
  maxCalendarParts: 16,
  maxCalendarBytes: 4 * 1024 * 1024,
  maxEvents: 1000,
  maxComponents: 5000,
  maxRecurrenceDates: 2000,
  maxTimeZones: 32, // Outlook sends one VTIMEZONE per zone used; the corpus's most is 8
});

export function ignored(reasonCode: IgnoredReason, detail: string): IgnoredOutcome {
  return { kind: 'ignored', reasonCode, detail };
}

export function rejected(reasonCode: RejectedReason, detail: string): RejectedOutcome {
  return { kind: 'rejected', reasonCode, detail };
}

/** Thrown inside the calendar pipeline and turned into a RejectedOutcome at its boundary. */
export class CalendarRejection extends Error {
  constructor(
    readonly reasonCode: RejectedReason,
    detail: string,
  ) {
    super(detail);
    this.name = 'CalendarRejection';
  }
}

/** A one-line, log-friendly summary; also the label the corpus tests count outcomes by. */
export function describeOutcome(outcome: ParseOutcome): string {
  switch (outcome.kind) {
    case 'parsed':
      return `parsed:${[...new Set(outcome.invites.map((i) => i.method))].join(',')}`;
    case 'ignored':
      return `ignored:${outcome.reasonCode}`;
    case 'rejected':
      return `rejected:${outcome.reasonCode}`;
    default:
      return assertNever(outcome);
  }
}

export { assertNever } from '@inviteflow/contracts';
