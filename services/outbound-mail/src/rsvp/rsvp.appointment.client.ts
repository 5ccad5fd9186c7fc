import { status } from '@grpc/grpc-js';
import { appointmentV1 } from '@inviteflow/proto-gen';
import { callUnary, clientChannelOptions, clientCredentials, GrpcClientSecurity } from '@inviteflow/rpc';
import { AppError } from '@inviteflow/runtime';

/** The organizer's copy of a meeting; undefined when there is none. Throws RSVP_CHECK_UNAVAILABLE when it cannot be asked. */
export type OrganizerCopyLookup = (uid: string, organizer: string) => Promise<appointmentV1.MeetingCopy | undefined>;

export interface AppointmentLookup {
  organizerCopy: OrganizerCopyLookup;
  close(): void;
}

/** AppointmentService.GetMeeting with a deadline (architecture.md: every client call has one). */
export function appointmentLookup(address: string, deadlineMs: number, security: GrpcClientSecurity): AppointmentLookup {
  const client = new appointmentV1.AppointmentServiceClient(address, clientCredentials(security), clientChannelOptions(address, security));
  return {
    organizerCopy: async (uid, organizer) => {
      try {
        const res = await callUnary<appointmentV1.GetMeetingResponse>((md, o, cb) => client.getMeeting({ uid, owner: organizer }, md, o, cb), deadlineMs);
        return res.copies.find((c) => c.role === 'organizer');
      } catch (err) {
        if ((err as { code?: number }).code === status.NOT_FOUND) return undefined;
        throw new AppError({ code: 'RSVP_CHECK_UNAVAILABLE', retryable: true, message: `GetMeeting ${uid} for ${organizer}: ${(err as Error).message}`, cause: err });
      }
    },
    close: () => client.close(),
  };
}
