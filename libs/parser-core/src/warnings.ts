// Warnings travel on InviteParsed.warnings as `CODE: detail`. The code is stable, so dashboards
// and tests can group by it; the detail is for the human reading one message's record.
export const WARNING = {
  /** RFC 6047 §2.4: the MIME `method` parameter must equal METHOD; they differ, METHOD won. */
  methodMismatch: 'METHOD_MISMATCH',
  /** No METHOD in the body; the MIME `method` parameter supplied it. */
  methodFromMime: 'METHOD_FROM_MIME_PARAM',
  /** No METHOD anywhere: RFC 5545 §3.7.2 says it is then not a scheduling message. */
  methodMissing: 'METHOD_MISSING',
  /** Bytes outside BEGIN:VCALENDAR … END:VCALENDAR were dropped. */
  strayContent: 'STRAY_CONTENT_DROPPED',
  /** A content line ical.js could not parse was dropped (not a property we depend on). */
  lineDropped: 'INVALID_LINE_DROPPED',
  /** A content line with an unterminated quote was repaired unambiguously (ics-text.ts). */
  lineRepaired: 'LINE_REPAIRED',
  /** RFC 5546 §3.2.3: a REPLY carries exactly one ATTENDEE, the one replying; this one does not. */
  replyAttendees: 'REPLY_ATTENDEE_COUNT',
  /** An RRULE ical.js cannot read; it is passed on as written, for the expander to judge. */
  rruleUnparsed: 'RRULE_NOT_VALIDATED',
  /** A charset label nobody knows; the text was decoded as UTF-8. */
  charsetUnknown: 'CHARSET_UNKNOWN',
  /** A text/calendar (or application/ics) part without BEGIN:VCALENDAR was skipped. */
  calendarPartEmpty: 'CALENDAR_PART_WITHOUT_VCALENDAR',
  /** A later copy of a UID with different content was dropped; the first copy was kept. */
  duplicateUid: 'DUPLICATE_UID_DROPPED',
  /**
   * A VEVENT (no UID, no or impossible DTSTART or RECURRENCE-ID, RRULE without a valid FREQ) or a
   * VCALENDAR (METHOD not iTIP) could not be used and was dropped; the rest of the message was kept.
   */
  componentDropped: 'COMPONENT_DROPPED',
  /** A calendar part whose text is not iCalendar was dropped; another part was usable. */
  calendarPartDropped: 'CALENDAR_PART_DROPPED',
  /** Calendar parts carry different copies of one UID; one was chosen by the rule in part-choice.ts. */
  calendarPartsDisagree: 'CALENDAR_PARTS_DISAGREE',
  /** Two VEVENTs for the same UID and RECURRENCE-ID (or two masters); the first was kept. */
  duplicateInstance: 'DUPLICATE_INSTANCE_DROPPED',
  /** VTODO/VJOURNAL/VFREEBUSY are not appointments and are not parsed. */
  componentSkipped: 'COMPONENT_SKIPPED',
  /** TZID matched neither a VTIMEZONE nor an IANA or Windows zone: the time is floating (floating_reason TZID_UNKNOWN). */
  tzidUnknown: 'TZID_UNKNOWN',
  /** A Windows zone name without its VTIMEZONE was read as the IANA zone CLDR maps it to. */
  tzidWindows: 'TZID_WINDOWS_MAPPED',
  /** A VTIMEZONE could not be interpreted; the TZID was tried as an IANA name instead. */
  vtimezoneUnusable: 'VTIMEZONE_UNUSABLE',
  /** A floating time (no Z, no TZID; RFC 5545 §3.3.5 form #1) was read as UTC. */
  floatingTime: 'FLOATING_TIME',
  /** A date-only value without VALUE=DATE (RFC 5545 §3.3.4 requires the parameter). */
  implicitDate: 'DATE_WITHOUT_VALUE_DATE',
  /** DTEND and DURATION together (RFC 5545 §3.6.1: MUST NOT); DTEND was used. */
  endAndDuration: 'DTEND_AND_DURATION',
  /**
   * RFC 5545 §3.8.2.2: DTSTART and DTEND must both be floating or both fixed (zoned/UTC); they
   * were not, and DTEND's wall time was read in DTSTART's frame (event-times.ts).
   */
  endFrameMismatch: 'DTEND_FRAME_MISMATCH',
  /** DTEND/DURATION unreadable, negative or before DTSTART: the RFC 5545 §3.6.1 default was used. */
  endInvalid: 'END_INVALID',
  /** DTSTAMP missing or unreadable (RFC 5545 §3.6.1 makes it required). */
  dtstampInvalid: 'DTSTAMP_INVALID',
  /** SEQUENCE not a non-negative integer; 0 was used (RFC 5545 §3.8.7.4 default). */
  sequenceInvalid: 'SEQUENCE_INVALID',
  /** SEQUENCE over 1 000 000 or over int32: kept (clamped to int32) and flagged sequence_absurd. */
  sequenceAbsurd: 'SEQUENCE_ABSURD',
  /** An RDATE or EXDATE value that is not a valid date, date-time or period was dropped. */
  recurrenceDateInvalid: 'RECURRENCE_DATE_INVALID',
  /** X-MICROSOFT-CDO-ALLDAYEVENT contradicts DTSTART's value type; DTSTART was used. */
  outlookAllDayMismatch: 'OUTLOOK_ALL_DAY_MISMATCH',
  /** An all-day instance's RECURRENCE-ID was a local midnight date-time; read as that date. */
  recurrenceIdCoerced: 'RECURRENCE_ID_AS_DATE',
  /** RECURRENCE-ID;RANGE=THISANDFUTURE: the override applies to later instances too. */
  recurrenceRange: 'RECURRENCE_ID_RANGE',
  /** An ORGANIZER/ATTENDEE without a usable address was dropped. */
  partyDropped: 'PARTY_WITHOUT_ADDRESS',
  /** The same attendee address twice; the first was kept. */
  duplicateAttendee: 'DUPLICATE_ATTENDEE',
  /** A PARTSTAT/ROLE/CUTYPE (or RFC 6638 SCHEDULE-AGENT) value outside the RFCs, mapped as §3.2.3/§3.2.12/§3.2.16 direct. */
  partyParamUnknown: 'PARTY_PARAM_UNKNOWN',
  /** STATUS/TRANSP/CLASS outside RFC 5545: replaced by the default or §3.8.1.3's PRIVATE (enumerated-values.ts). */
  enumValueInvalid: 'ENUM_VALUE_INVALID',
  /** Damaged MIME structure was repaired before reading (mime-repair.ts): the detail names what. */
  mimeRepaired: 'MIME_REPAIRED',
  /** A calendar part carried one transfer-encoding layer too many (base64 or quoted-printable). */
  calendarUnwrapped: 'CALENDAR_EXTRA_ENCODING_REMOVED',
  /** No usable calendar part, but a whole VCALENDAR stood in a text body or attachment: it was parsed. */
  calendarFromText: 'CALENDAR_FOUND_IN_TEXT',
} as const;

export type WarningCode = (typeof WARNING)[keyof typeof WARNING];

export function warning(code: WarningCode, detail: string): string {
  return `${code}: ${detail}`;
}
