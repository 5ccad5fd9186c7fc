// What applyMessage decided, per message and instance, with a stable reason code; the service
// records these (audit, `inviteflow explain`) and derives its events from them.
import type { Component, Meeting } from './meeting.model';

export const REASON_CODES = [
  'APPLIED',
  'STALE',
  'DUPLICATE',
  'UNAUTHORISED',
  'UNSOLICITED',
  'NO_MATCHING_MEETING',
  'IGNORED',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface Decision {
  code: ReasonCode;
  /** A stable, finer reason (e.g. OLDER_SEQUENCE, ORGANIZER_MISMATCH, PUBLISH_NOT_SCHEDULING). */
  reason: string;
  detail: string;
  /** RECURRENCE-ID the decision is about; '' for the master or the whole meeting. */
  recurrenceId: string;
  /** For APPLIED: what changed (property names, or CREATED, CANCELLED, PARTSTAT:<addr>, …). */
  changes: string[];
}

/** The iTIP methods of RFC 5546 §1.4. */
export const ITIP_METHODS = ['PUBLISH', 'REQUEST', 'REPLY', 'ADD', 'CANCEL', 'REFRESH', 'COUNTER', 'DECLINECOUNTER'] as const;
export type ItipMethodName = (typeof ITIP_METHODS)[number];

export interface Recipient {
  address: string;
  /** An associate: updated in place, no mail (domain.md §2); external: gets iMIP mail. */
  internal: boolean;
}

/** An iTIP message to send, as data; outbound-mail renders and sends it. */
export interface ItipMessage {
  method: ItipMethodName;
  uid: string;
  sequence: number;
  recipients: Recipient[];
  /** The VEVENTs to carry (master and/or overrides), already shaped for this method. */
  components: Component[];
  /** Why it is sent (REFRESH_REQUESTED, ATTENDEE_REMOVED, SIGNIFICANT_CHANGE, OWN_ANSWER, …). */
  reason: string;
  /** COMMENT (RFC 5545 §3.8.1.4) on every VEVENT: a REPLY's, COUNTER's or DECLINECOUNTER's note. */
  comment?: string[];
}

export interface ApplyResult {
  /** The copy to save; undefined when nothing is to be stored (e.g. NO_MATCHING_MEETING). */
  next: Meeting | undefined;
  /** true when `next` differs from the stored copy (save with the version guard). */
  changed: boolean;
  decisions: Decision[];
  outbound: ItipMessage[];
}

export function decision(code: ReasonCode, reason: string, detail: string, recurrenceId = '', changes: string[] = []): Decision {
  return { code, reason, detail, recurrenceId, changes };
}
