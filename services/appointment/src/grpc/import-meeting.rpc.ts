import { createHash } from 'node:crypto';
import { appointmentV1, eventsV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import type { MeetingRepository } from '../data/meeting.repository';
import type { OutcomeRepository } from '../data/outcome.repository';
import { applyToCopy, outcomeOf, type CopyResult } from '../handlers/meeting.applier';
import type { CopyPublisher } from '../handlers/meeting-events.publisher';
import { toDecision, toMeetingCopy } from './meeting.mapper';
import { resolveOwner, type OwnerDirectory } from './owner.resolve';

export interface ImportDeps {
  meetings: MeetingRepository;
  outcomes: OutcomeRepository;
  identity: OwnerDirectory;
  now: () => Date;
  /** Announces the copy (appointment.scheduled.v1 …) as for a mail; optional so reads need no NATS. */
  publishCopy?: CopyPublisher;
}

/** A migration file holds one meeting: its master and overrides, not a calendar export. */
export const MAX_IMPORT_EVENTS = 1000;

const invalid = (message: string): AppError => new AppError({ code: 'INVALID_ARGUMENT', message, retryable: false });

/** `import:<sha256>`: the same file imported again is the same message, so DUPLICATE, never a second copy. */
export function importMailId(req: Pick<appointmentV1.ImportMeetingRequest, 'sha256' | 'uid' | 'events'>): string {
  if (req.sha256) {
    if (!/^[0-9a-f]{64}$/i.test(req.sha256)) throw invalid('sha256 must be 64 hex digits');
    return `import:${req.sha256.toLowerCase()}`;
  }
  const hash = createHash('sha256').update(req.uid);
  for (const e of req.events) hash.update(eventsV1.CalendarEvent.encode(e).finish());
  return `import:${hash.digest('hex')}`;
}

/**
 * The import as the REQUEST it stands for (RFC 5546 §3.2.2). It is authored by its ORGANIZER:
 * the file is taken as the organizer's word, which is what a migration means.
 */
export function importInvite(req: appointmentV1.ImportMeetingRequest, mailId: string): { invite: eventsV1.InviteParsed; sender: string[] } {
  const organizer = req.events.find((e) => e.organizer?.address)?.organizer?.address.toLowerCase() ?? '';
  const invite = eventsV1.InviteParsed.fromPartial({
    mailId, method: 'REQUEST', uid: req.uid, events: req.events,
    mail: { from: organizer, subject: `inviteflow meeting import ${req.source}`.trim() },
  });
  return { invite, sender: organizer ? [organizer] : [] };
}

function validate(req: appointmentV1.ImportMeetingRequest): void {
  if (!req.uid) throw invalid('uid is required');
  if (req.events.length === 0) throw invalid('events: at least one VEVENT is required');
  if (req.events.length > MAX_IMPORT_EVENTS) throw invalid(`events: at most ${MAX_IMPORT_EVENTS}, got ${req.events.length}`);
}

/**
 * ImportMeeting: seeds the owner's copy through the one apply path (applyToCopy) — the
 * organizer's copy when the owner is the ORGANIZER, libs/itip decides — and records it in the
 * meeting's history under `import:<sha256>`. A re-import changes nothing and keeps the first
 * record. Round trips: identity 1, copy 1 read + 1 write, outcome 1 read + 1 write.
 */
export async function importMeeting(deps: ImportDeps, req: appointmentV1.ImportMeetingRequest): Promise<appointmentV1.ImportMeetingResponse> {
  validate(req);
  const owner = await resolveOwner(deps.identity, req.owner);
  const mailId = importMailId(req);
  const { invite, sender } = importInvite(req, mailId);
  const result = await applyToCopy({ meetings: deps.meetings, now: deps.now }, owner, invite, sender);
  const outcome = outcomeOf(result.decisions);
  await recordImport(deps, req, mailId, result, outcome);
  await deps.publishCopy?.(mailId, 'REQUEST', result);
  return {
    associateId: owner.associateId, mailId, outcome, saved: result.saved, decisions: result.decisions.map(toDecision),
    meeting: result.meeting && toMeetingCopy(result.meeting),
  };
}

async function recordImport(deps: ImportDeps, req: appointmentV1.ImportMeetingRequest, mailId: string, r: CopyResult, outcome: string): Promise<void> {
  // The first import's record says what it did; a repeat (DUPLICATE) must not overwrite it.
  if (!r.saved && (await deps.outcomes.findForMail(mailId, [req.uid])).length > 0) return;
  const meetingId = r.meeting?.id ?? '';
  // arrival 0: an import has no stream sequence, and seeds a meeting before its mail.
  await deps.outcomes.record({
    mailId, uid: req.uid, method: 'REQUEST', arrival: 0, recordedAt: deps.now(),
    recipients: [{ address: r.owner.address, associateId: r.owner.associateId, meetingId, outcome, decisions: r.decisions }],
  });
}
