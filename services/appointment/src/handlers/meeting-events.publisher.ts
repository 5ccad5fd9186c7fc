import { SUBJECTS } from '@inviteflow/contracts';
import type { Decision, ItipMessage, Meeting } from '@inviteflow/itip';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { Metrics } from '@inviteflow/runtime';
import { outboundRequest } from '../crm/outbound.commands';
import type { PendingEntry } from '../data/meeting.codec';
import type { PendingOutboundRepository } from '../data/pending-outbound.repository';
import type { CopyOwner } from '../domain/copy-owner';
import { copyEvents } from '../domain/copy-events';
import type { CopyResult } from './meeting.applier';

/**
 * Publishes what one message did to one copy; the service's only way of telling the world.
 * `opts.defer`: the clear of the copy's outbox (the last step, after every publish) is handed to
 * it instead of awaited, so the caller can overlap it with its own next write and await both
 * (the arrival path: with the outcome record, one round trip less of latency, issue 14).
 */
export type CopyPublisher = (mailId: string, method: string, result: CopyResult, opts?: PublishOptions) => Promise<void>;

export interface PublishOptions {
  /** Takes the outbox clear's promise; the caller must await it before it acknowledges the message. */
  defer?: (clearing: Promise<void>) => void;
}

/** Publishes one payload under its msg id (JetStream drops a repeat within the stream's duplicate window). */
export type PublishFn = (subject: string, payload: Uint8Array, msgId: string) => Promise<void>;

/** What one message did to one copy, as the entries to hand on (computed before the save). */
export interface OutboxInput {
  mailId: string;
  owner: CopyOwner;
  before: Meeting | undefined;
  /** The copy as this message leaves it (the one to save), or as stored when it changes nothing. */
  after: Meeting | undefined;
  decisions: Decision[];
  outbound: ItipMessage[];
  /** Whether `after` is a change to save: only a saved change is news about the copy. */
  changed: boolean;
  now: Date;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/**
 * Pure: the copy's changes as derived from the decisions (domain/copy-events), and the outbound
 * iTIP messages libs/itip asked for (e.g. the REQUEST a REFRESH asks to be re-sent), as outbox
 * entries. Every key (msg id) is derived from the mail and the copy, so a redelivered message, or
 * an entry published again by the re-check, announces nothing twice within JetStream's window.
 */
export function copyOutbox(o: OutboxInput): PendingEntry[] {
  const id = o.after?.id ?? '';
  const base = { appointmentId: id, associateId: o.owner.associateId, uid: o.after?.uid ?? '', mailId: o.mailId };
  const entry = (subject: string, key: string, payload: Uint8Array): PendingEntry => ({ key, kind: 'event', subject, payload: b64(payload), auditMailId: o.mailId, method: '' });
  const entries: PendingEntry[] = [];
  // Only a saved change is news about the copy (a REFRESH applies without changing it).
  for (const e of o.changed ? copyEvents(o.before, o.after, o.decisions) : []) {
    if (e.kind === 'scheduled') {
      entries.push(entry(SUBJECTS.appointmentScheduledV1, `scheduled:${id}`, eventsV1.AppointmentScheduled.encode({ ...base, recurrenceId: e.recurrenceId, sequence: e.sequence }).finish()));
      continue;
    }
    const subject = e.kind === 'cancelled' ? SUBJECTS.appointmentCancelledV1 : SUBJECTS.appointmentUpdatedV1;
    const payload = eventsV1.AppointmentChanged.encode({ ...base, recurrenceId: e.recurrenceId, sequence: e.sequence, reason: e.reason, changes: e.changes }).finish();
    entries.push(entry(subject, `${e.kind}:${id}:${o.mailId}:${e.recurrenceId}:${e.reason}`, payload));
  }
  for (const [i, msg] of o.outbound.entries()) {
    // One command per external recipient, built as the CRM's are; associates are updated in
    // place, never mailed (domain.md §2).
    const ctx = { auditMailId: o.mailId, meetingId: id, now: o.now, actor: { owner: o.owner, name: '', address: o.owner.address } };
    for (const { address } of msg.recipients.filter((x) => !x.internal)) {
      const requestId = `${o.mailId}:${id}:${i}:${address}`;
      const payload = eventsV1.OutboundRequested.encode(outboundRequest(msg, requestId, address, new Map(), ctx)).finish();
      entries.push({ key: `outbound:${requestId}`, kind: 'mail', payload: b64(payload), auditMailId: o.mailId, method: msg.method });
    }
  }
  return entries;
}

/** Publishes a `mail` or `event` entry under its key; false for a `copy` entry (the CRM flusher applies those). */
export async function publishEntry(publish: PublishFn, entry: PendingEntry): Promise<boolean> {
  if (entry.kind === 'copy') return false;
  const subject = entry.kind === 'mail' ? SUBJECTS.mailOutboundRequestedV1 : entry.subject!;
  await publish(subject, Buffer.from(entry.payload, 'base64'), entry.key);
  return true;
}

/**
 * Counts every decision by method and code, then hands on the copy's outbox: the entries this
 * message saved with the copy and any an earlier publish left there (NATS down, a crash after the
 * save: the redelivered message is DUPLICATE and saves nothing, but still finds them), then
 * removes them from the copy — one write, none when there was nothing (awaited here, or handed to
 * `opts.defer`: published entries that stay a moment longer are at worst published again with the
 * same msg id, which JetStream drops). A failed publish throws:
 * the message is redelivered, and the entries stay for it or for the re-check
 * (crm/outbound.flusher sweep). Entries of a message that changed nothing (a REFRESH answered)
 * are not stored: its redelivery computes them again.
 */
export function copyPublisher(publish: PublishFn, outbox: Pick<PendingOutboundRepository, 'clear'>, metrics: Metrics): CopyPublisher {
  const decided = metrics.counter({ name: 'inviteflow_itip_decisions_total', help: 'Scheduling decisions by iTIP method and reason code', labelNames: ['method', 'code'] });
  return async (mailId, method, r, opts) => {
    for (const d of r.decisions) decided.inc({ method: method.toUpperCase(), code: d.code });
    for (const entry of r.unstored) await publishEntry(publish, entry);
    if (!r.outbox) return;
    const done: string[] = [];
    for (const entry of r.outbox.entries) if (await publishEntry(publish, entry)) done.push(entry.key);
    const all = done.length === r.outbox.entries.length;
    const clearing = outbox.clear(r.outbox.copyId, done, all ? r.outbox.version : undefined);
    if (opts?.defer) opts.defer(clearing);
    else await clearing;
  };
}
