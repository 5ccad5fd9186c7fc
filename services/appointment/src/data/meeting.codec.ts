import type { Meeting } from '@inviteflow/itip';

/**
 * A meeting copy as stored. The model keys overrides, tombstones and answers by RECURRENCE-ID
 * (an ISO instant, or '' for the whole meeting); MongoDB field names may not be empty and the
 * stand-in rejects dots in them, so every keyed map is stored as an array of [key, value]
 * pairs. `_id` is the copy's id (owner + UID), `version` the optimistic-concurrency counter.
 */
export interface MeetingDoc {
  _id: string;
  uid: string;
  associateId: string;
  role: Meeting['role'];
  status: Meeting['status'];
  version: number;
  /** When the copy was last written (ISO 8601). */
  updatedAt: string;
  body: StoredBody;
  /**
   * Commands a CRM change of this copy produced that are not yet handed on (outbound mail,
   * associates' copies to update): saved in the same guarded write as the change, so a crash
   * before publishing loses none of them (data/pending-outbound.repository.ts).
   */
  pendingOutbound?: PendingEntry[];
  /**
   * Set (to the oldest entry's time, `$min`) whenever `pendingOutbound` gets entries and unset when
   * a hand-on empties it: the periodic re-check finds copies with leftovers by this one field
   * (index `pending`, sparse) instead of looking into every copy's array.
   */
  pendingSince?: Date;
}

/**
 * One command or event waiting to be handed on (the copy's transactional outbox); `key` is its
 * business key, the JetStream msg id, so a second publish of it is dropped by the stream.
 */
export interface PendingEntry {
  key: string;
  /**
   * mail: an OutboundRequested for mail.outbound-requested.v1; copy: an InviteParsed to apply to an
   * associate's copy; event: an appointment.* event about this copy, published on `subject`.
   */
  kind: 'mail' | 'copy' | 'event';
  /** The protobuf payload, base64. */
  payload: string;
  /** The audit entry (`crm:<request id>`) and method it belongs to. */
  auditMailId: string;
  method: string;
  /** copy: whose copy, and the addresses the change is authored by (the acting associate's). */
  owner?: { associateId: string; address: string; addresses: string[]; timeZone: string };
  sender?: string[];
  /** event: the subject it is published on. */
  subject?: string;
}

type Entries<T> = [string, T][];

export type StoredBody = Omit<Meeting, 'id' | 'version' | 'overrides' | 'tombstones' | 'instanceAnswers' | 'ownAnswers'> & {
  overrides: Entries<Meeting['overrides'][string]>;
  tombstones: Entries<Meeting['tombstones'][string]>;
  instanceAnswers: Entries<Entries<Meeting['instanceAnswers'][string][string]>>;
  ownAnswers: Entries<Meeting['ownAnswers'][string]>;
};

/** The deterministic id of an associate's copy: a redelivered REQUEST finds, never duplicates, it. */
export function meetingId(associateId: string, uid: string): string {
  return `${associateId}|${uid}`;
}

export function toMeetingDoc(m: Meeting, updatedAt: string): MeetingDoc {
  const { id, version, overrides, tombstones, instanceAnswers, ownAnswers, ...rest } = m;
  const body: StoredBody = {
    ...rest,
    overrides: Object.entries(overrides),
    tombstones: Object.entries(tombstones),
    instanceAnswers: Object.entries(instanceAnswers).map(([rid, byAddress]) => [rid, Object.entries(byAddress)]),
    ownAnswers: Object.entries(ownAnswers),
  };
  return { _id: id, uid: m.uid, associateId: m.owner.associateId, role: m.role, status: m.status, version, updatedAt, body };
}

export function fromMeetingDoc(doc: MeetingDoc): Meeting {
  const { overrides, tombstones, instanceAnswers, ownAnswers, ...rest } = doc.body;
  return {
    ...rest,
    id: doc._id,
    version: doc.version,
    overrides: Object.fromEntries(overrides),
    tombstones: Object.fromEntries(tombstones),
    instanceAnswers: Object.fromEntries(instanceAnswers.map(([rid, pairs]) => [rid, Object.fromEntries(pairs)])),
    ownAnswers: Object.fromEntries(ownAnswers),
  };
}
