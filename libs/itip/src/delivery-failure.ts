// A bounce of one of our invitations (issue 11 §5): the organizer's copy records that attendees
// could not be reached, as one DELIVERY_FAILED caution per address (its detail starts with the
// address), so the organizer sees it wherever cautions show (meeting show, diary). Pure: the
// service reads the DSN (libs/parser-core dsn-report.ts), loads the copy, calls this, and saves
// with a version guard.
import { decision, type Decision } from './decision';
import { components } from './meeting-state';
import type { Caution, Meeting } from './meeting.model';

export interface FailedRecipient {
  /** The address the DSN reports failed (Final-Recipient, RFC 3464 §2.3.2). */
  recipient: string;
  /** RFC 3463 enhanced status, e.g. 5.1.1. */
  status: string;
  /** The remote server's Diagnostic-Code. */
  diagnostic: string;
}

/** One DSN: the message it returned and every recipient it reports failed. */
export interface DeliveryFailureReport {
  /** The returned message's Message-ID, '' if the DSN did not return it. */
  messageId: string;
  /** The returned calendar's SEQUENCE, when it came back. */
  sequence?: number;
  failed: FailedRecipient[];
}

export interface DeliveryFailureResult {
  next: Meeting;
  changed: boolean;
  /** The whole report's decision on this copy (APPLIED lists `DELIVERY_FAILED:<address>` per change). */
  decision: Decision;
  /** Each failed recipient's own decision, for the audit. */
  recipients: Array<{ recipient: string; decision: Decision }>;
}

/**
 * One caution per attendee address: a later bounce for the same address replaces the earlier
 * one (the newest report is what the organizer needs); the same report again is DUPLICATE.
 * Only the organizer's copy sends invitations, and only its attendees can bounce from it.
 */
export function recordDeliveryFailures(m: Meeting, report: DeliveryFailureReport): DeliveryFailureResult {
  if (m.role !== 'organizer') {
    const d = decision('IGNORED', 'NOT_ORGANIZER_COPY', 'a bounce only concerns the organizer\'s copy');
    return { next: m, changed: false, decision: d, recipients: report.failed.map((f) => ({ recipient: f.recipient.toLowerCase(), decision: d })) };
  }
  let next = m;
  const recipients = report.failed.map((failed) => {
    const one = recordOne(next, { ...failed, recipient: failed.recipient.toLowerCase() }, report);
    next = one.next;
    return { recipient: failed.recipient.toLowerCase(), decision: one.decision };
  });
  const applied = recipients.filter((r) => r.decision.code === 'APPLIED');
  const decisionOfAll = applied.length > 0
    ? decision('APPLIED', 'DELIVERY_FAILED', applied.map((r) => r.decision.detail).join('; '), '', applied.flatMap((r) => r.decision.changes))
    : recipients[0]?.decision ?? decision('IGNORED', 'NO_FAILED_RECIPIENT', 'the report names no failed recipient');
  return { next, changed: next !== m, decision: decisionOfAll, recipients };
}

function recordOne(m: Meeting, f: FailedRecipient, report: DeliveryFailureReport): { next: Meeting; decision: Decision } {
  const invited = components(m).some((c) => c.attendees.some((a) => a.address.toLowerCase() === f.recipient));
  if (!invited) return { next: m, decision: decision('UNSOLICITED', 'NOT_INVITED', `${f.recipient} is not an attendee of this meeting`) };
  const caution: Caution = { code: 'DELIVERY_FAILED', detail: deliveryFailureDetail(f, report) };
  const earlier = m.cautions.find((c) => isDeliveryFailureOf(c, f.recipient));
  if (earlier?.detail === caution.detail) return { next: m, decision: decision('DUPLICATE', 'SAME_BOUNCE', `${f.recipient}: this bounce is already recorded`) };
  return {
    next: { ...m, cautions: [...m.cautions.filter((c) => c !== earlier), caution] },
    decision: decision('APPLIED', 'DELIVERY_FAILED', caution.detail, '', [`DELIVERY_FAILED:${f.recipient}`]),
  };
}

/** "<address> — <status> <diagnostic> (bounce of <Message-ID>, SEQUENCE n)": the address leads. */
export function deliveryFailureDetail(f: FailedRecipient, report: Omit<DeliveryFailureReport, 'failed'>): string {
  const about = [report.messageId ? `bounce of ${report.messageId}` : 'bounce', ...(report.sequence !== undefined ? [`SEQUENCE ${report.sequence}`] : [])].join(', ');
  return `${f.recipient} — ${[f.status, f.diagnostic].filter(Boolean).join(' ')} (${about})`;
}

export function isDeliveryFailureOf(c: Caution, address: string): boolean {
  return c.code === 'DELIVERY_FAILED' && c.detail.startsWith(`${address.toLowerCase()} — `);
}
