import { status } from '@grpc/grpc-js';
import { AppError } from '@inviteflow/runtime';

/**
 * Refusals of the CRM commands (docs/error-codes.md, "Appointment: CRM commands"). Each names the
 * request field it is about, first in the message and in `details.field`, and is raised before
 * anything is written: a refused command leaves no trace but its error.
 */
export const CRM_ERROR_CODES = {
  invalidArgument: 'INVALID_ARGUMENT',
  unknownAssociate: 'UNKNOWN_ASSOCIATE',
  invalidTime: 'INVALID_TIME',
  invalidTimeRange: 'INVALID_TIME_RANGE',
  invalidTimeZone: 'INVALID_TIME_ZONE',
  invalidRrule: 'INVALID_RRULE',
  meetingNotFound: 'MEETING_NOT_FOUND',
  notOrganizer: 'NOT_ORGANIZER',
  notInvited: 'NOT_INVITED',
  unknownInstance: 'UNKNOWN_INSTANCE',
  meetingCancelled: 'MEETING_CANCELLED',
  attendeeNotFound: 'ATTENDEE_NOT_FOUND',
  proposalNotFound: 'PROPOSAL_NOT_FOUND',
  uidTaken: 'UID_TAKEN',
  outboundFlushFailed: 'OUTBOUND_FLUSH_FAILED',
} as const;

const C = CRM_ERROR_CODES;

/** Reason code → the gRPC status it is answered with (libs/rpc reads `grpcStatus`). */
export const CRM_STATUS: Readonly<Record<string, status>> = {
  [C.invalidArgument]: status.INVALID_ARGUMENT,
  [C.unknownAssociate]: status.NOT_FOUND,
  [C.invalidTime]: status.INVALID_ARGUMENT,
  [C.invalidTimeRange]: status.INVALID_ARGUMENT,
  [C.invalidTimeZone]: status.INVALID_ARGUMENT,
  [C.invalidRrule]: status.INVALID_ARGUMENT,
  [C.meetingNotFound]: status.NOT_FOUND,
  [C.notOrganizer]: status.FAILED_PRECONDITION,
  [C.notInvited]: status.FAILED_PRECONDITION,
  [C.unknownInstance]: status.NOT_FOUND,
  [C.meetingCancelled]: status.FAILED_PRECONDITION,
  [C.attendeeNotFound]: status.NOT_FOUND,
  [C.proposalNotFound]: status.NOT_FOUND,
  [C.uidTaken]: status.ALREADY_EXISTS,
};

export type CrmErrorCode = (typeof CRM_ERROR_CODES)[keyof typeof CRM_ERROR_CODES];

/** A refusal about one request field: `<field>: <message>`, with the gRPC status of its code. */
export function crmError(code: CrmErrorCode, field: string, message: string): AppError {
  const err = new AppError({ code, message: `${field}: ${message}`, retryable: false, details: { field } });
  return Object.assign(err, { grpcStatus: CRM_STATUS[code] });
}
