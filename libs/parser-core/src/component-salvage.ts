// Salvage, don't discard (issue 13): a VEVENT, a VCALENDAR or a whole calendar part that cannot
// be used is dropped with a warning naming it, and the rest of the message is still parsed. Only
// a message with nothing usable left is rejected, with the reason code of its first unusable
// piece (the same code a message holding only that piece always got).
//
// What counts as unusable is unchanged: a VEVENT without UID (RFC 5545 §3.6.1), without the
// DTSTART RFC 5546 §3.2 requires, with an impossible DTSTART or RECURRENCE-ID, or with an RRULE
// that has no valid FREQ (recurrence.ts); a VCALENDAR whose METHOD is not an iTIP method; a part
// whose text is not iCalendar. Limits (TOO_LARGE) are not salvaged: they bound cost, and a message
// that hits one is hostile or broken as a whole.
import { CalendarRejection, rejected, type RejectedOutcome, type RejectedReason } from './parse-outcome';
import { WARNING, warning, type WarningCode } from './warnings';

/** One dropped piece of a message. */
export interface Unusable {
  /** The UID of the dropped VEVENT; '' when it had none, or a whole VCALENDAR or part went. */
  uid: string;
  reasonCode: RejectedReason;
  /** The rejection detail, were nothing else usable. */
  detail: string;
  /** The warning the surviving invites carry instead. */
  warning: string;
}

/**
 * A VEVENT that cannot be used. The detail names the component (UID, and RECURRENCE-ID for an
 * instance), so that both the rejection and the salvage warning say which one it was.
 */
export class UnusableEvent extends CalendarRejection {
  constructor(
    reasonCode: RejectedReason,
    readonly reason: string,
    readonly uid: string,
    readonly recurrenceId: string,
  ) {
    super(reasonCode, `${reason}${componentName(uid, recurrenceId)}`);
    this.name = 'UnusableEvent';
  }
}

function componentName(uid: string, recurrenceId: string): string {
  if (!uid) return '';
  const shownUid = uid.length > 80 ? `${uid.slice(0, 80)}…` : uid;
  return recurrenceId ? ` (UID ${shownUid}, RECURRENCE-ID ${recurrenceId})` : ` (UID ${shownUid})`;
}

/** Whether a rejection raised inside one piece may cost only that piece. */
export function isSalvageable(err: unknown): err is CalendarRejection {
  return err instanceof CalendarRejection && err.reasonCode !== 'TOO_LARGE';
}

/** `where` says which piece: "VEVENT 2 of part 1.2 text/calendar", "part 2 application/ics". */
export function unusable(err: CalendarRejection, where: string, code: WarningCode = WARNING.componentDropped): Unusable {
  const uid = err instanceof UnusableEvent ? err.uid : '';
  return { uid, reasonCode: err.reasonCode, detail: err.message, warning: warning(code, `${where} dropped, ${err.reasonCode}: ${err.message}`) };
}

/** Nothing usable is left: the first piece's reason decides, the others are counted in the detail. */
export function rejectUnusable(pieces: Unusable[]): RejectedOutcome {
  const [first, ...others] = pieces;
  if (!first) return rejected('PARSER_FAILURE', 'no usable component and no reason recorded');
  if (others.length === 0) return rejected(first.reasonCode, first.detail);
  const shown = others.slice(0, 3).map((piece) => `${piece.reasonCode}${piece.uid ? ` (UID ${piece.uid.slice(0, 80)})` : ''}`);
  const more = others.length > 3 ? `, and ${others.length - 3} more` : '';
  return rejected(first.reasonCode, `${first.detail}; no other component usable either: ${shown.join(', ')}${more}`);
}
