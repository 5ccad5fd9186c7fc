// The CRM commands (issue 10 §1): each request checked field by field, the acting associate
// resolved, then one pass through executeCrm with the command's pure decision.
import { createHash } from 'node:crypto';
import type { appointmentV1 } from '@inviteflow/proto-gen';
import { decidePropose, decideRespond } from './attendee.decide';
import { crmError } from './crm.errors';
import { executeCrm, requestIdOf, type CrmDeps, type CrmOutcome } from './crm.executor';
import { participantAddresses, resolveAssociate } from './crm.parties';
import { rruleOf, slotOf } from './meeting-time';
import { decideAcceptCounter, decideBook, decideCancel, decideDeclineCounter, decideRemove, decideUpdate } from './organizer.decide';

const URL_RE = /^https?:\/\/\S+$/i;

function uidOf(field: string, value: string): string {
  const uid = value.trim();
  if (!uid) throw crmError('INVALID_ARGUMENT', field, 'is required');
  if (uid.length > 1000) throw crmError('INVALID_ARGUMENT', field, 'at most 1000 characters');
  return uid;
}

function conferenceOf(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return value;
  if (!URL_RE.test(value.trim())) throw crmError('INVALID_ARGUMENT', 'conference_url', `"${value}" is not an http or https link`);
  return value.trim();
}

export async function bookMeeting(deps: CrmDeps, req: appointmentV1.BookMeetingRequest): Promise<CrmOutcome> {
  const actor = await resolveAssociate(deps.identity, req.organizer, 'organizer');
  const requestId = requestIdOf(req.requestId);
  const slot = slotOf('time', req.time, actor.owner.timeZone);
  const rrule = rruleOf('rrule', req.rrule);
  if (!req.summary.trim()) throw crmError('INVALID_ARGUMENT', 'summary', 'is required');
  const participants = await participantAddresses(deps.identity, req.participants, 'participants');
  if (participants.filter((a) => !actor.owner.addresses.includes(a)).length === 0) throw crmError('INVALID_ARGUMENT', 'participants', 'at least one participant besides the organizer');
  // A client's request id fixes the UID, so a retried BookMeeting finds what the first call booked.
  const uid = req.uid.trim() ? uidOf('uid', req.uid) : `${createHash('sha256').update(`${actor.owner.associateId}:${requestId}`).digest('hex').slice(0, 32)}@inviteflow`;
  const draft = { uid, uidFromRequest: !req.uid.trim(), slot, rrule, participants, summary: req.summary.trim(), location: req.location, description: req.description, conferenceUrl: conferenceOf(req.conferenceUrl) ?? '' };
  return executeCrm(deps, { requestId, uid, actor, extraAddresses: participants, decide: (stored, dir, now) => decideBook(draft, actor, stored, dir, now) });
}

export async function updateMeeting(deps: CrmDeps, req: appointmentV1.UpdateMeetingRequest): Promise<CrmOutcome> {
  const actor = await resolveAssociate(deps.identity, req.organizer, 'organizer');
  const uid = uidOf('uid', req.uid);
  const requestId = requestIdOf(req.requestId);
  const addParticipants = await participantAddresses(deps.identity, req.addParticipants, 'add_participants');
  const rrule = req.rrule === undefined ? undefined : rruleOf('rrule', req.rrule);
  const conferenceUrl = conferenceOf(req.conferenceUrl);
  return executeCrm(deps, {
    requestId, uid, actor, extraAddresses: addParticipants,
    decide: (stored, dir, now) => {
      const zone = stored?.master?.timeZone || actor.owner.timeZone;
      const slot = req.time && (req.time.start || req.time.end) ? slotOf('time', req.time, zone) : undefined;
      const patch = { recurrenceId: req.recurrenceId, summary: req.summary, location: req.location, description: req.description, conferenceUrl, slot, rrule, addParticipants };
      return decideUpdate(patch, actor, stored, uid, dir, now);
    },
  });
}

export async function cancelMeeting(deps: CrmDeps, req: appointmentV1.CancelMeetingRequest): Promise<CrmOutcome> {
  const actor = await resolveAssociate(deps.identity, req.organizer, 'organizer');
  const uid = uidOf('uid', req.uid);
  return executeCrm(deps, { requestId: requestIdOf(req.requestId), uid, actor, decide: (stored, dir, now) => decideCancel(req.recurrenceId, actor, stored, uid, dir, now) });
}

export async function removeAttendee(deps: CrmDeps, req: appointmentV1.RemoveAttendeeRequest): Promise<CrmOutcome> {
  const actor = await resolveAssociate(deps.identity, req.organizer, 'organizer');
  const uid = uidOf('uid', req.uid);
  if (req.attendees.length === 0) throw crmError('INVALID_ARGUMENT', 'attendees', 'at least one address');
  const attendees = await participantAddresses(deps.identity, req.attendees, 'attendees');
  return executeCrm(deps, { requestId: requestIdOf(req.requestId), uid, actor, decide: (stored, dir, now) => decideRemove(attendees, actor, stored, uid, dir, now) });
}

export async function respondToInvitation(deps: CrmDeps, req: appointmentV1.RespondToInvitationRequest): Promise<CrmOutcome> {
  const actor = await resolveAssociate(deps.identity, req.associate, 'associate');
  const uid = uidOf('uid', req.uid);
  return executeCrm(deps, { requestId: requestIdOf(req.requestId), uid, actor, decide: (stored, dir, now) => decideRespond(req, actor, stored, uid, dir, now) });
}

export async function proposeNewTime(deps: CrmDeps, req: appointmentV1.ProposeNewTimeRequest): Promise<CrmOutcome> {
  const actor = await resolveAssociate(deps.identity, req.associate, 'associate');
  const uid = uidOf('uid', req.uid);
  return executeCrm(deps, { requestId: requestIdOf(req.requestId), uid, actor, decide: (stored, _dir, now) => decidePropose(req, actor, stored, uid, now) });
}

const proposer = (from: string): string => {
  const f = from.trim().replace(/^mailto:/i, '').toLowerCase();
  if (!f.includes('@')) throw crmError('INVALID_ARGUMENT', 'from', 'the address of the attendee who proposed');
  return f;
};

export async function acceptCounter(deps: CrmDeps, req: appointmentV1.AcceptCounterRequest): Promise<CrmOutcome> {
  const actor = await resolveAssociate(deps.identity, req.organizer, 'organizer');
  const uid = uidOf('uid', req.uid);
  const from = proposer(req.from);
  return executeCrm(deps, { requestId: requestIdOf(req.requestId), uid, actor, decide: (stored, dir, now) => decideAcceptCounter(from, req.recurrenceId, actor, stored, uid, dir, now) });
}

export async function declineCounter(deps: CrmDeps, req: appointmentV1.DeclineCounterRequest): Promise<CrmOutcome> {
  const actor = await resolveAssociate(deps.identity, req.organizer, 'organizer');
  const uid = uidOf('uid', req.uid);
  const from = proposer(req.from);
  return executeCrm(deps, { requestId: requestIdOf(req.requestId), uid, actor, decide: (stored, _dir, now) => decideDeclineCounter(from, req.recurrenceId, req.comment, actor, stored, uid, now) });
}
