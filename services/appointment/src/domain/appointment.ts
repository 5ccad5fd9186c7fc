/** A diary entry: one associate's copy of one meeting (or one instance of a series). */
export interface Party {
  address: string;
  name: string;
  partstat: string;
  role: string;
}

export type AppointmentStatus = 'TENTATIVE' | 'ACCEPTED' | 'DECLINED' | 'CANCELLED';

export interface AppointmentState {
  associateId: string;
  uid: string;
  /** ISO UTC instant of RECURRENCE-ID, '' for the whole object. */
  recurrenceId: string;
  sequence: number;
  dtstamp: Date | undefined;
  start: Date | undefined;
  end: Date | undefined;
  timeZone: string;
  allDay: boolean;
  summary: string;
  location: string;
  organizer: Party | undefined;
  attendees: Party[];
  status: AppointmentStatus;
  sourceMailId: string;
}

/** The stable key of a diary entry: owner + UID + RECURRENCE-ID (RFC 5545 §3.8.4.4). */
export function appointmentId(s: Pick<AppointmentState, 'associateId' | 'uid' | 'recurrenceId'>): string {
  return `${s.associateId}|${s.uid}|${s.recurrenceId}`;
}
