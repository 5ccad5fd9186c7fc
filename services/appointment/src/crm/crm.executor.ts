import { randomUUID } from 'node:crypto';
import { components, decision, type ItipMessage, type Meeting } from '@inviteflow/itip';
import { AppError } from '@inviteflow/runtime';
import { meetingId, type MeetingRepository } from '../data/meeting.repository';
import type { OutcomeRepository } from '../data/outcome.repository';
import type { OwnerDirectory } from '../grpc/owner.resolve';
import { MAX_CONFLICT_RETRIES } from '../handlers/meeting.applier';
import { recipientOutcome } from '../handlers/recipient-outcome';
import { crmError } from './crm.errors';
import { resolveParties, type ActingAssociate, type PartyDirectory } from './crm.parties';
import { buildCommands, type CommandSummary } from './outbound.commands';
import type { OutboundFlusher } from './outbound.flusher';

export interface CrmDeps {
  meetings: MeetingRepository;
  outcomes: OutcomeRepository;
  identity: OwnerDirectory;
  flusher: OutboundFlusher;
  now: () => Date;
}

/** What a command decided from the stored copy (pure, in crm.commands.ts). */
export interface Decided {
  next: Meeting;
  messages: ItipMessage[];
  significant: boolean;
  /** The iTIP method the audit files it under (REQUEST, CANCEL, REPLY, COUNTER, DECLINECOUNTER). */
  method: string;
  /** The audit decision's reason (BOOKED, UPDATED, CANCELLED, …) and what changed. */
  reason: string;
  detail: string;
  recurrenceId: string;
  changes: string[];
}

export interface CrmCommand {
  requestId: string;
  uid: string;
  actor: ActingAssociate;
  /** Addresses to look up besides those on the stored copy (new participants). */
  extraAddresses?: string[];
  /** Pure: the change, or undefined when there is nothing to change (e.g. a retry). Throws a refusal. */
  decide(stored: Meeting | undefined, dir: PartyDirectory, now: string): Decided | undefined;
}

export interface CrmOutcome {
  requestId: string;
  uid: string;
  meetingId: string;
  meeting: Meeting | undefined;
  changed: boolean;
  significant: boolean;
  commands: (CommandSummary & { published: boolean })[];
  updatedCopies: string[];
}

/** A client's request id, or one made for this call (then a retry is not recognisable: documented). */
export function requestIdOf(given: string): string {
  const id = given.trim();
  if (id.length > 200 || /\s/.test(id)) throw crmError('INVALID_ARGUMENT', 'request_id', 'at most 200 characters, no spaces');
  return id || randomUUID();
}

const partiesOf = (m: Meeting | undefined): string[] =>
  m ? [m.organizer.address, ...components(m).flatMap((c) => [c.organizer.address, ...c.attendees.map((a) => a.address)])] : [];

/**
 * The one path of every CRM command: load the acting associate's copy, let the command decide
 * (libs/itip plans), save the change *with* its commands under the version guard (one write:
 * nothing is lost if the process dies after it), hand the commands on, record the audit entry
 * `crm:<request id>`. A request id already recorded is a retry: nothing is applied again, only
 * leftovers are handed on. A lost race re-reads and decides again, as applyToCopy does.
 */
export async function executeCrm(deps: CrmDeps, cmd: CrmCommand): Promise<CrmOutcome> {
  const auditMailId = `crm:${cmd.requestId}`;
  const copyId = meetingId(cmd.actor.owner.associateId, cmd.uid);
  const unchanged = async (): Promise<CrmOutcome> => {
    const flushed = await deps.flusher.flush(copyId);
    const meeting = await deps.meetings.find(cmd.actor.owner.associateId, cmd.uid);
    return { requestId: cmd.requestId, uid: cmd.uid, meetingId: meeting ? copyId : '', meeting, changed: false, significant: false, commands: [], updatedCopies: flushed.copies.flatMap((c) => c.meeting?.id ?? []) };
  };
  if ((await deps.outcomes.findForMail(auditMailId, [cmd.uid])).length > 0) return unchanged();
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const stored = await deps.meetings.find(cmd.actor.owner.associateId, cmd.uid);
    const dir = await resolveParties(deps.identity, [...partiesOf(stored), ...(cmd.extraAddresses ?? [])]);
    const now = deps.now();
    const decided = cmd.decide(stored, dir, now.toISOString());
    if (!decided) return unchanged();
    const built = buildCommands(decided.messages, dir, { auditMailId, meetingId: copyId, actor: cmd.actor, now, newMeeting: !stored });
    if ((await deps.meetings.save(decided.next, stored?.version, now, built.pending)) !== 'saved') continue;
    const flushed = await deps.flusher.flush(copyId);
    const meeting = { ...decided.next, version: (stored?.version ?? 0) + 1 };
    await record(deps, cmd, auditMailId, decided, built.summary, flushed.copies.map(recipientOutcome));
    return {
      requestId: cmd.requestId, uid: cmd.uid, meetingId: copyId, meeting, changed: true, significant: decided.significant,
      commands: built.summary.map((s) => ({ ...s, published: flushed.done.includes(s.key) })), updatedCopies: flushed.copies.flatMap((c) => c.meeting?.id ?? []),
    };
  }
  throw new AppError({ code: 'APPOINTMENT_WRITE_CONFLICT', retryable: true, message: `meeting ${copyId}: still conflicting after ${MAX_CONFLICT_RETRIES} version-guarded attempts` });
}

/** The audit entry: the acting copy's decision (with the commands as changes), then each associate's copy. */
async function record(deps: CrmDeps, cmd: CrmCommand, mailId: string, d: Decided, commands: CommandSummary[], others: ReturnType<typeof recipientOutcome>[]): Promise<void> {
  const sent = commands.map((c) => `${c.kind === 'mail' ? 'MAIL' : 'COPY'}:${c.method}:${c.recipient}`);
  const own = decision('APPLIED', d.reason, d.detail, d.recurrenceId, [...d.changes, ...sent]);
  await deps.outcomes.record({
    mailId, uid: cmd.uid, method: d.method, arrival: 0, recordedAt: deps.now(),
    recipients: [{ address: cmd.actor.address, associateId: cmd.actor.owner.associateId, meetingId: meetingId(cmd.actor.owner.associateId, cmd.uid), outcome: 'APPLIED', decisions: [own] }, ...others],
  });
}
