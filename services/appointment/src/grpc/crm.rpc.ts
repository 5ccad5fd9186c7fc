import type { appointmentV1 } from '@inviteflow/proto-gen';
import { RpcLogger, unaryHandler } from '@inviteflow/rpc';
import * as crm from '../crm/crm.commands';
import type { CrmDeps, CrmOutcome } from '../crm/crm.executor';
import { meetingSequence, toMeetingCopy } from './meeting.mapper';

/** The answer every CRM command gives: what changed, the commands produced, the acting copy now. */
export function toCrmResult(o: CrmOutcome): appointmentV1.CrmCommandResult {
  return {
    requestId: o.requestId, uid: o.uid, meetingId: o.meetingId, sequence: o.meeting ? meetingSequence(o.meeting) : 0, changed: o.changed, significant: o.significant,
    commands: o.commands.filter((c) => c.kind === 'mail').map((c) => ({ key: c.key, method: c.method, recipient: c.recipient, recurrenceId: c.recurrenceId, sequence: c.sequence, published: c.published })),
    updatedCopies: o.updatedCopies, meeting: o.meeting && toMeetingCopy(o.meeting),
  };
}

type Handlers = Pick<appointmentV1.AppointmentServiceServer,
  'bookMeeting' | 'updateMeeting' | 'cancelMeeting' | 'removeAttendee' | 'respondToInvitation' | 'proposeNewTime' | 'acceptCounter' | 'declineCounter'>;

/** The CRM block of AppointmentService (issue 10 §1); registered in appointment.grpc.ts. */
export function crmHandlers(log: RpcLogger, deps: CrmDeps): Handlers {
  const wrap = async (o: Promise<CrmOutcome>): Promise<{ result: appointmentV1.CrmCommandResult }> => ({ result: toCrmResult(await o) });
  return {
    bookMeeting: unaryHandler(log, 'BookMeeting', (req: appointmentV1.BookMeetingRequest) => wrap(crm.bookMeeting(deps, req))),
    updateMeeting: unaryHandler(log, 'UpdateMeeting', (req: appointmentV1.UpdateMeetingRequest) => wrap(crm.updateMeeting(deps, req))),
    cancelMeeting: unaryHandler(log, 'CancelMeeting', (req: appointmentV1.CancelMeetingRequest) => wrap(crm.cancelMeeting(deps, req))),
    removeAttendee: unaryHandler(log, 'RemoveAttendee', (req: appointmentV1.RemoveAttendeeRequest) => wrap(crm.removeAttendee(deps, req))),
    respondToInvitation: unaryHandler(log, 'RespondToInvitation', (req: appointmentV1.RespondToInvitationRequest) => wrap(crm.respondToInvitation(deps, req))),
    proposeNewTime: unaryHandler(log, 'ProposeNewTime', (req: appointmentV1.ProposeNewTimeRequest) => wrap(crm.proposeNewTime(deps, req))),
    acceptCounter: unaryHandler(log, 'AcceptCounter', (req: appointmentV1.AcceptCounterRequest) => wrap(crm.acceptCounter(deps, req))),
    declineCounter: unaryHandler(log, 'DeclineCounter', (req: appointmentV1.DeclineCounterRequest) => wrap(crm.declineCounter(deps, req))),
  };
}
