// The meeting model: one document per *copy* of a meeting (domain.md §2: a booking master row for
// the organiser plus one row per participant). The service stores it as is (MongoDB) and saves
// it with libs/mongo's updateIfVersion; every rule that changes it lives in this library.

/** (SEQUENCE, DTSTAMP) of the message that wrote a piece of state (RFC 5546 §2.1.5). */
export interface Version {
  sequence: number;
  /** ISO 8601 UTC; '' when the message had none (sorts before any real stamp). */
  dtstamp: string;
}

export interface Party {
  address: string;
  name: string;
  /** SENT-BY (RFC 5545 §3.2.18), '' if none. */
  sentBy: string;
}

/** An attendee's own answer (REPLY), kept beside what the organizer's REQUEST said. */
export interface Answer {
  partstat: string;
  version: Version;
  comment: string[];
  delegatedTo: string[];
  /** The raw mail that carried it, for audit. */
  mailId: string;
}

export interface Attendee extends Party {
  /** PARTSTAT as the organizer's REQUEST wrote it (RFC 5545 §3.2.12). */
  partstat: string;
  role: string;
  rsvp: boolean;
  cutype: string;
  delegatedTo: string[];
  delegatedFrom: string[];
  /** RFC 6638 §7.1: '' (SERVER), CLIENT or NONE. */
  scheduleAgent: string;
  /** The attendee's REPLY, when one is newer than the REQUEST that listed them. */
  answer?: Answer;
}

export interface Conference {
  url: string;
  provider: string;
}

/** The master VEVENT (recurrenceId '') or one override (RFC 5545 §3.8.4.4). */
export interface Component {
  /** RECURRENCE-ID as a UTC instant (ISO 8601), '' for the master. */
  recurrenceId: string;
  /** RANGE=THISANDFUTURE (RFC 5545 §3.2.13): the override also governs later instances. */
  range: '' | 'THISANDFUTURE';
  version: Version;
  start: string;
  end: string;
  /** The zone the times were written in (IANA when known), '' for UTC and dates. */
  timeZone: string;
  allDay: boolean;
  summary: string;
  location: string;
  description: string;
  status: string;
  organizer: Party;
  /** Sorted by address, so equal states serialise equally whatever the delivery order. */
  attendees: Attendee[];
  rrule: string[];
  rdate: string[];
  exdate: string[];
  conference?: Conference;
  /** Added by METHOD:ADD (RFC 5546 §3.2.4) rather than by the rule. */
  added?: boolean;
}

/** A CANCEL remembered: the whole meeting (recurrenceId '') or instances. */
export interface Tombstone {
  recurrenceId: string;
  range: '' | 'THISANDFUTURE';
  version: Version;
  /** The CANCEL dropped only this copy's owner from a meeting that goes on. */
  ownerRemoved: boolean;
  mailId: string;
}

/** A COUNTER (RFC 5546 §3.2.7) kept on the organizer's copy until the organizer acts on it. */
export interface Proposal {
  from: string;
  recurrenceId: string;
  version: Version;
  start: string;
  end: string;
  location: string;
  summary: string;
  comment: string[];
  mailId: string;
}

/** A DECLINECOUNTER (RFC 5546 §3.2.8) received on an attendee's copy. */
export interface DeclinedCounter {
  recurrenceId: string;
  version: Version;
  comment: string[];
  mailId: string;
}

/** The copy owner's own answer per instance ('' = the whole series). */
export interface OwnAnswer {
  partstat: string;
  /** The SEQUENCE of the version answered. */
  sequence: number;
  answeredAt: string;
  /** Start of the instance when answered; a later time change makes the answer *moved*. */
  start: string;
  moved: boolean;
  /** Earlier answers, kept when a move or a new answer supersedes them (domain.md §7). */
  history: { partstat: string; answeredAt: string }[];
}

/**
 * Caution flags (domain.md §2), plus our own TIME_ZONE_ASSUMED for floating or unknown zones and
 * DELIVERY_FAILED (an attendee's invitation bounced; its detail starts with the address).
 */
export const CAUTIONS = [
  'TIME_ZONE_ASSUMED',
  'NOT_IN_SYNC',
  'NOT_NOTIFIED_BY_EMAIL',
  'RECURRENCE_PATTERN_NOT_SUPPORTED',
  'INCOMING_RECURRENCE_CHANGE_NOT_SUPPORTED',
  'EXTERNAL_PARTICIPANTS_DATETIME_MISMATCH',
  'DELIVERY_FAILED',
] as const;
export type CautionCode = (typeof CAUTIONS)[number];

export interface Caution {
  code: CautionCode;
  detail: string;
}

export interface Owner {
  associateId: string;
  /** Every address of the associate (primary and aliases), lowercase. */
  addresses: string[];
  /** IANA zone: where floating and unknown-zone times are placed. */
  timeZone: string;
}

export interface Meeting {
  id: string;
  uid: string;
  owner: Owner;
  role: 'organizer' | 'attendee';
  /** Derived from master and tombstones on every change; stored for queries. */
  status: 'active' | 'cancelled';
  organizer: Party;
  master?: Component;
  /** Keyed by RECURRENCE-ID as a UTC instant. */
  overrides: Record<string, Component>;
  /** Keyed by RECURRENCE-ID ('' = the whole meeting). */
  tombstones: Record<string, Tombstone>;
  /** REPLYs about single instances, keyed by RECURRENCE-ID then attendee address. */
  instanceAnswers: Record<string, Record<string, Answer>>;
  proposals: Proposal[];
  declinedCounters: DeclinedCounter[];
  cautions: Caution[];
  /** Owner's answers, keyed by RECURRENCE-ID ('' = the series). */
  ownAnswers: Record<string, OwnAnswer>;
  /** Auto-created as tentative (domain.md §2); only the owner's answer clears it. */
  tentative: boolean;
  createdAt: string;
  /** Optimistic-concurrency counter; the service saves with updateIfVersion. */
  version: number;
}
