import { eventsV1 } from '@inviteflow/proto-gen';
import { decodeEvent } from '@inviteflow/messaging';
import type { IdentityLookup } from '../domain/identity.port';
import { recipientAddresses } from '../domain/invite.plan';
import { triageRecipients } from '../domain/recipient.triage';
import { ApplierDeps, applyInvite, describeOutcome } from './invite.applier';
import type { ParkedInvites } from './parked-invite.service';

export type { IdentityLookup } from '../domain/identity.port';

export interface HandlerLogger {
  info(obj: object, msg?: string): void;
}

export interface InviteParsedDeps extends ApplierDeps {
  identity: IdentityLookup;
  parked: ParkedInvites;
  ourDomains: string[];
  log: HandlerLogger;
}

/** The part of a JetStream delivery the handler needs: the payload and its arrival order. */
export interface InviteDelivery {
  data: Uint8Array;
  /** Stream sequence: stable across redeliveries, increasing with arrival. */
  seq: number;
}

/**
 * invite.parsed.v1 → diary entries for recipients that are associates; an invite for an
 * unknown recipient in our domains is parked (handlers/parked-invite.service). Idempotent: a
 * redelivered message finds the same SEQUENCE/DTSTAMP stored and the same invite parked.
 * Round trips: 1 identity call per 1000 uncached recipients (often none: cached) + 2 per
 * (associate × VEVENT) + 1 per parked recipient (+1 identity call) + 1 outcome record.
 */
export function onInviteParsed(deps: InviteParsedDeps) {
  return async ({ data, seq }: InviteDelivery): Promise<void> => {
    const invite = decodeEvent(eventsV1.InviteParsed, data, 'invite.parsed.v1 payload is not a valid InviteParsed');
    const recipients = recipientAddresses(invite);
    const triage = triageRecipients(invite, recipients.length > 0 ? await deps.identity.resolve(recipients) : [], deps.ourDomains);
    const applied = await applyInvite(deps, invite, triage.owners);
    const parked = await deps.parked.park(invite, data, seq, triage.park);
    const outcome = describeOutcome(applied, parked);
    await deps.repo.recordOutcome({ mailId: invite.mailId, uid: invite.uid, method: invite.method, recordedAt: deps.now(), ...outcome });
    deps.log.info({ mailId: invite.mailId, uid: invite.uid, outcome: outcome.outcome, results: applied.results, parked }, 'invite handled');
    // The address may have become known while this invite was on its way (its identity.changed
    // event found nothing parked yet): ask again now that it is parked.
    if (parked.length > 0) await deps.parked.drain(parked);
  };
}
