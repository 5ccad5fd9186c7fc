// The parser's pure core: bytes in, an explainable outcome out. No I/O, no clock.
export { parseMail, isDeliveryReport } from './parse-mail';
export { parseCalendarText, parseCalendarSources, type CalendarSource, type InviteEnvelope } from './calendar-parser';
export {
  DEFAULT_PARSE_LIMITS,
  IGNORED_REASONS,
  REJECTED_REASONS,
  describeOutcome,
  ignored,
  rejected,
  assertNever,
  type IgnoredOutcome,
  type IgnoredReason,
  type MailParseContext,
  type ParseLimits,
  type ParseOutcome,
  type ParsedOutcome,
  type RejectedOutcome,
  type RejectedReason,
} from './parse-outcome';
export { WARNING, type WarningCode } from './warnings';
export { ITIP_METHODS, type ItipMethod } from './method';
export { readDeliveryReport, type DeliveryReport, type BouncedRecipient, type ReturnedMessage } from './dsn-report';
