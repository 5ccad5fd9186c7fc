import { eventsV1, identityV1 } from '@inviteflow/proto-gen';
import type { OutcomeRepository, RecipientOutcome } from '../data/outcome.repository';
import type { ParkedInviteRepository } from '../data/parked-invite.repository';
import { parkedId } from '../data/parked-invite.repository';
import { copyOwnerOf, type CopyOwner } from '../domain/copy-owner';
import type { IdentityPort } from '../domain/identity.port';
import { worthParking } from '../domain/recipients';
import type { ParkTarget } from '../domain/recipient.triage';
import { senderAddressesOf, senderHeaderAddresses } from '../domain/sender.addresses';
import type { CopyPipeline } from './copy.pipeline';
import type { IncomingGate } from './incoming.gate';
import { recipientOutcome } from './recipient-outcome';

export interface ParkedLogger {
  info(obj: object, msg?: string): void;
}

export interface ParkedInviteDeps {
  pipeline: CopyPipeline;
  outcomes: OutcomeRepository;
  now: () => Date;
  parked: ParkedInviteRepository;
  identity: IdentityPort;
  /** "Manage incoming invitations" and the synchronizer preference (issue 10 §3–§4), as in force when applied. */
  gate: IncomingGate;
  log: ParkedLogger;
}

/**
 * Invites for addresses in our domains that nobody holds yet: kept, reported to identity as
 * unresolved, and applied — in arrival order, through the normal apply path — as soon as the
 * address resolves to an associate. Exactly once in effect: a parked invite is removed only
 * after it was applied, and applying is idempotent (libs/itip: the same message again is
 * DUPLICATE), so a crash in between, or two drains at once (the identity.changed consumer, the
 * periodic re-check, the arrival path), apply it again harmlessly; a copy is created once.
 */
export class ParkedInvites {
  constructor(private readonly deps: ParkedInviteDeps) {}

  /**
   * Parks `invite` for each target (if its method changes diaries at all) and tells identity
   * mail arrived for them. Returns the addresses it is parked for. Round trips: 1 per target
   * + 1 gRPC call.
   */
  async park(invite: eventsV1.InviteParsed, payload: Uint8Array, arrival: number, targets: ParkTarget[]): Promise<string[]> {
    if (targets.length === 0) return [];
    const now = this.deps.now();
    const parked: string[] = [];
    if (worthParking(invite.method)) {
      for (const t of targets) {
        await this.deps.parked.park({
          _id: parkedId(t.address, invite.mailId, invite.uid), address: t.address, mailId: invite.mailId, uid: invite.uid,
          method: invite.method, arrival, payload, displayName: t.displayName, parkedAt: now,
        });
        parked.push(t.address);
      }
    }
    await this.deps.identity.noteUnresolved(targets.map((t) => ({ address: t.address, displayName: t.displayName, mailId: invite.mailId, seenAt: now })));
    return parked;
  }

  /**
   * Applies what is parked for `addresses` that now resolve to an associate (asked fresh,
   * never from a cache). Returns how many parked invites were applied.
   */
  async drain(addresses: string[]): Promise<number> {
    const waiting = new Map<string, Awaited<ReturnType<ParkedInviteRepository['listFor']>>>();
    for (const address of new Set(addresses)) {
      const list = await this.deps.parked.listFor(address);
      if (list.length > 0) waiting.set(address, list);
    }
    let applied = 0;
    const keys = [...waiting.keys()];
    // The identity client sends any number of addresses in chunks of identity's batch limit.
    const resolutions = keys.length > 0 ? await this.deps.identity.resolveFresh(keys) : [];
    for (const [i, address] of keys.entries()) {
      const r = resolutions[i];
      if (r?.kind !== identityV1.ResolutionKind.RESOLUTION_KIND_ASSOCIATE || !r.associate) continue;
      applied += await this.applyParked(address, r.associate, waiting.get(address)!);
    }
    return applied;
  }

  /** The periodic re-check: drains every address with parked invites. */
  async sweep(): Promise<number> {
    return this.drain(await this.deps.parked.addresses());
  }

  private async applyParked(address: string, associate: identityV1.Associate, list: Awaited<ReturnType<ParkedInviteRepository['listFor']>>): Promise<number> {
    const owner = copyOwnerOf(address, associate);
    for (const p of list) {
      const invite = eventsV1.InviteParsed.decode(p.payload);
      const senders = senderHeaderAddresses(invite);
      const senderAddresses = senderAddressesOf(senders, senders.length > 0 ? await this.deps.identity.resolve(senders) : []);
      // The policy in force when the address became known decides, as for a message arriving now.
      const entry = { ...((await this.deps.gate.screen(owner, invite, senderAddresses)) ?? (await this.applyOne(owner, invite, p, senderAddresses))), appliedLater: 'PARKED' as const };
      const detail = `applied after ${address} became known (parked ${p.parkedAt.toISOString()}): ${entry.outcome} ${entry.decisions.map((d) => d.reason).join(', ')}`;
      await this.deps.outcomes.recordAppliedLater({ mailId: p.mailId, uid: p.uid, method: p.method }, entry, detail, this.deps.now());
      await this.deps.parked.remove(p._id);
      this.deps.log.info({ address, associateId: associate.id, mailId: p.mailId, uid: p.uid, outcome: entry.outcome }, 'parked invite applied');
    }
    return list.length;
  }

  private async applyOne(owner: CopyOwner, invite: eventsV1.InviteParsed, p: { payload: Uint8Array; arrival: number }, senderAddresses: string[]): Promise<RecipientOutcome> {
    const result = await this.deps.pipeline.apply(owner, invite, { payload: p.payload, seq: p.arrival }, senderAddresses);
    return { ...recipientOutcome(result), ...(result.held ? { held: true } : {}) };
  }
}
