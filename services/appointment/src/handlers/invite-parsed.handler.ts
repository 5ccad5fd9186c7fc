import { eventsV1 } from '@inviteflow/proto-gen';
import { decodeEvent } from '@inviteflow/messaging';
import type { IdentityLookup } from '../domain/identity.port';
import { recipientAddresses } from '../domain/recipients';
import { triageRecipients } from '../domain/recipient.triage';
import { senderAddressesOf, senderHeaderAddresses } from '../domain/sender.addresses';
import type { OutcomeRepository, RecipientOutcome } from '../data/outcome.repository';
import type { CopyPipeline } from './copy.pipeline';
import type { IncomingGate } from './incoming.gate';
import { recipientOutcome } from './recipient-outcome';
import type { ParkedInvites } from './parked-invite.service';
import { ENFORCE_SENDER_AUTH, senderVerdict, unverifiedEntry } from './sender-auth.gate';
import type { SenderAuthSettings } from '../domain/sender-auth';

export type { IdentityLookup } from '../domain/identity.port';

export interface HandlerLogger {
  info(obj: object, msg?: string): void;
}

export interface InviteParsedDeps {
  pipeline: CopyPipeline;
  identity: IdentityLookup;
  outcomes: OutcomeRepository;
  parked: ParkedInvites;
  /** "Manage incoming invitations" and the synchronizer preference (issue 10 §3–§4). */
  gate: IncomingGate;
  ourDomains: string[];
  log: HandlerLogger;
  now: () => Date;
  /** Sender authentication per From domain (issue 15 pt 4); enforce everywhere when unset. */
  senderAuth?: SenderAuthSettings;
}

/** The part of a JetStream delivery the handler needs: the payload and its arrival order. */
export interface InviteDelivery {
  data: Uint8Array;
  /** Stream sequence: stable across redeliveries, increasing with arrival. */
  seq: number;
  /** When the stream stored it (ms since the epoch): the log's `waitedMs` (issue 14: where latency goes). */
  storedAt?: number;
}

/**
 * invite.parsed.v1 → each recipient associate's copy of the meeting, by libs/itip's rules; an
 * invite for an unknown recipient in our domains is parked (handlers/parked-invite.service).
 * Every recipient's outcome is recorded with its decisions (audit, `inviteflow explain`).
 * Idempotent: a redelivered message is DUPLICATE (or STALE) on every copy and announces nothing
 * new — only what a failed publish left in the copy's outbox (handlers/meeting-events.publisher).
 * Round trips: 1 identity call per 1000 uncached addresses (recipients and sender; often none:
 * cached) + 3 per copy changed (1 read + 1 version-guarded write + 1 clear of its outbox; 1 when
 * nothing changes and nothing waits in the outbox; see CopyPipeline for holding; +1 look-up of
 * held messages when it creates the copy, but no read: a first REQUEST inserts first,
 * meeting.applier likelyNewCopy) + 1 per parked recipient (+1 identity call) + 1 outcome
 * record: 4 for a new invitation to one associate (test/round-trips.int.test.ts). Copy reads,
 * first inserts, outbox clears, held look-ups and outcome records made while another of the same
 * kind is on the wire share the next one (libs/mongo ReadBatcher / WriteBatcher), so messages
 * handled at once cost fewer (issue 14).
 */
export function onInviteParsed(deps: InviteParsedDeps) {
  return async ({ data, seq, storedAt }: InviteDelivery): Promise<void> => {
    const startedAt = Date.now();
    const invite = decodeEvent(eventsV1.InviteParsed, data, 'invite.parsed.v1 payload is not a valid InviteParsed');
    const recipients = recipientAddresses(invite);
    const senders = senderHeaderAddresses(invite);
    const asked = [...recipients, ...senders];
    const resolutions = asked.length > 0 ? await deps.identity.resolve(asked) : [];
    const triage = triageRecipients(invite, resolutions.slice(0, recipients.length), deps.ourDomains);
    const senderAddresses = senderAddressesOf(senders, resolutions.slice(recipients.length));
    const entries: RecipientOutcome[] = [];
    const verdict = senderVerdict(invite, deps.senderAuth ?? ENFORCE_SENDER_AUTH);
    if (verdict.check?.refuse) {
      // Issue 15 pt 4: an unauthenticated REPLY/CANCEL/COUNTER changes no copy and is not parked.
      const kept = [...triage.owners.map((o) => unverifiedEntry(o.address, o.associateId, verdict.check!)), ...triage.park.map((p) => unverifiedEntry(p.address, '', verdict.check!))];
      await deps.outcomes.record({ mailId: invite.mailId, uid: invite.uid, method: invite.method, recipients: kept, arrival: seq, recordedAt: deps.now(), ...verdict.record });
      deps.log.info({ mailId: invite.mailId, uid: invite.uid, method: invite.method, from: invite.mail?.from, senderCheck: verdict.record.senderCheck }, 'invite kept out: UNVERIFIED_SENDER');
      return;
    }
    // Each copy's outbox clear goes on the wire with what follows (the next copy, the outcome
    // record) and is awaited with the outcome record: the message is acknowledged only after both.
    const clearing: Promise<void>[] = [];
    const defer = (p: Promise<void>): void => void clearing.push(p);
    for (const owner of triage.owners) {
      const keptOut = await deps.gate.screen(owner, invite, senderAddresses);
      if (keptOut) {
        entries.push(keptOut);
        continue;
      }
      const result = await deps.pipeline.apply(owner, invite, { payload: data, seq }, senderAddresses, { defer });
      entries.push({ ...recipientOutcome(result), ...(result.held ? { held: true } : {}) });
    }
    const parked = await deps.parked.park(invite, data, seq, triage.park);
    entries.push(...parked.map((address) => ({ address, associateId: '', meetingId: '', outcome: 'PARKED', decisions: [] })));
    await Promise.all([
      deps.outcomes.record({ mailId: invite.mailId, uid: invite.uid, method: invite.method, recipients: entries, arrival: seq, recordedAt: deps.now(), ...verdict.record }),
      ...clearing,
    ]);
    // Stage timings (wall clock, this host): queued in the stream before a handler took it, then handling.
    const timings = { ...(storedAt ? { waitedMs: startedAt - storedAt } : {}), handledMs: Date.now() - startedAt };
    deps.log.info({ mailId: invite.mailId, uid: invite.uid, method: invite.method, recipients: entries.map((e) => `${e.address}=${e.outcome}`), ...timings }, 'invite handled');
    // The address may have become known while this invite was on its way (its identity.changed
    // event found nothing parked yet): ask again now that it is parked.
    if (parked.length > 0) await deps.parked.drain(parked);
  };
}
