// What the caller (the appointment service) knows and passes in: the copy's owner, who the
// sender is (identity resolves aliases; this library only compares addresses), the clock, ids.
import type { Owner } from './meeting.model';

export interface ApplyContext {
  /** ISO 8601 UTC; the only clock this library sees. */
  now: string;
  owner: Owner;
  /** Id for a copy created by this message (the caller makes it; no randomness here). */
  newMeetingId: string;
  /**
   * Every address of whoever sent the mail (the iCalendar party it claims to be is checked
   * against these): the associate's or person's primary address and aliases, as resolved by
   * identity from the mail's From/Sender. Empty when nobody could be resolved.
   */
  senderAddresses: string[];
}

export const lower = (values: string[]): string[] => values.map((v) => v.toLowerCase());
