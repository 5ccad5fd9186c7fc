import { eventsV1, identityV1 } from '@inviteflow/proto-gen';
import type { AppointmentRepository } from '../data/appointment.repository';
import type { ParkedInviteRepository } from '../data/parked-invite.repository';
import { parkedId } from '../data/parked-invite.repository';
import type { IdentityPort } from '../domain/identity.port';
import { appointmentId } from '../domain/appointment';
import { changesDiaries } from '../domain/invite.plan';
import type { ParkTarget } from '../domain/recipient.triage';
import { ApplierDeps, applyInvite } from './invite.applier';

export interface ParkedLogger {
  info(obj: object, msg?: string): void;
}

export interface ParkedInviteDeps extends ApplierDeps {
  repo: AppointmentRepository;
  parked: ParkedInviteRepository;
  identity: IdentityPort;
  log: ParkedLogger;
}

/**
 * Invites for addresses in our domains that nobody holds yet: kept, reported to identity as
 * unresolved, and applied — in arrival order, through the normal apply path — as soon as the
 * address resolves to an associate. Exactly once in effect: a parked invite is removed only
 * after it was applied, and applying is idempotent, so a crash in between, or two drains at
 * once (the identity.changed consumer, the periodic re-check, the arrival path), apply it
 * again harmlessly; a diary entry is created once.
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
    if (changesDiaries(invite.method)) {
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
      applied += await this.applyParked(address, r.associate.id, waiting.get(address)!);
    }
    return applied;
  }

  /** The periodic re-check: drains every address with parked invites. */
  async sweep(): Promise<number> {
    return this.drain(await this.deps.parked.addresses());
  }

  private async applyParked(address: string, associateId: string, list: Awaited<ReturnType<ParkedInviteRepository['listFor']>>): Promise<number> {
    for (const p of list) {
      const invite = eventsV1.InviteParsed.decode(p.payload);
      const { plan, results } = await applyInvite(this.deps, invite, [{ associateId, address }]);
      const detail = `applied after ${address} became known (parked ${p.parkedAt.toISOString()}): ${plan.kind === 'apply' ? results.join(', ') : plan.detail}`;
      const ids = plan.kind === 'apply' ? plan.states.map(appointmentId) : [];
      await this.deps.repo.recordParkedApplied({ mailId: p.mailId, uid: p.uid, method: p.method }, address, ids, detail, this.deps.now());
      await this.deps.parked.remove(p._id);
      this.deps.log.info({ address, associateId, mailId: p.mailId, uid: p.uid, results }, 'parked invite applied');
    }
    return list.length;
  }
}
