import { eventsV1, identityV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import type { AppointmentRepository, ApplyResult } from '../data/appointment.repository';
import { AppointmentState, appointmentId } from '../domain/appointment';
import { DiaryOwner, planInvite, recipientAddresses } from '../domain/invite.plan';

export interface IdentityLookup {
  resolve(addresses: string[]): Promise<identityV1.Resolution[]>;
}

export interface HandlerLogger {
  info(obj: object, msg?: string): void;
}

export interface InviteParsedDeps {
  repo: AppointmentRepository;
  identity: IdentityLookup;
  log: HandlerLogger;
  now: () => Date;
  onApplied?: (result: ApplyResult, state: AppointmentState) => Promise<void>;
}

/**
 * invite.parsed.v1 → diary entries. Idempotent: a redelivered message finds the same
 * SEQUENCE/DTSTAMP stored and changes nothing (§2.1.5 ordering in data/appointment.repository).
 * Database round trips per message: 2 per (recipient × VEVENT) + 1 outcome record.
 */
export function onInviteParsed(deps: InviteParsedDeps) {
  return async (data: Uint8Array): Promise<void> => {
    const invite = decode(data);
    const owners = await diaryOwners(deps.identity, recipientAddresses(invite));
    const plan = planInvite(invite, owners, invite.mailId);
    const base = { mailId: invite.mailId, uid: invite.uid, method: invite.method, recordedAt: deps.now() };
    if (plan.kind === 'skip') {
      await deps.repo.recordOutcome({ ...base, outcome: plan.reason, detail: plan.detail, appointmentIds: [] });
      deps.log.info({ mailId: invite.mailId, uid: invite.uid, outcome: plan.reason }, 'invite not applied');
      return;
    }
    const results: string[] = [];
    for (const state of plan.states) {
      const result = await deps.repo.apply(state, deps.now());
      results.push(`${appointmentId(state)}=${result}`);
      await deps.onApplied?.(result, state);
    }
    await deps.repo.recordOutcome({ ...base, outcome: 'APPLIED', detail: results.join(', '), appointmentIds: plan.states.map(appointmentId) });
    deps.log.info({ mailId: invite.mailId, uid: invite.uid, results }, 'invite applied');
  };
}

function decode(data: Uint8Array): eventsV1.InviteParsed {
  try {
    return eventsV1.InviteParsed.decode(data);
  } catch (err) {
    throw new AppError({ code: 'EVENT_UNDECODABLE', message: 'invite.parsed.v1 payload is not a valid InviteParsed', retryable: false, cause: err });
  }
}

async function diaryOwners(identity: IdentityLookup, addresses: string[]): Promise<DiaryOwner[]> {
  if (addresses.length === 0) return [];
  const resolutions = await identity.resolve(addresses);
  const owners = new Map<string, DiaryOwner>();
  for (const r of resolutions) {
    if (r.kind === identityV1.ResolutionKind.RESOLUTION_KIND_ASSOCIATE && r.associate) {
      owners.set(r.associate.id, { associateId: r.associate.id, address: r.normalizedAddress });
    }
  }
  return [...owners.values()];
}
