import { appointmentV1 } from '@inviteflow/proto-gen';
import type { AppointmentDoc } from '../data/appointment.repository';

const STATUS = appointmentV1.AppointmentStatus;

/** A stored diary entry as the gRPC API shows it. */
export function toAppointment(d: AppointmentDoc): appointmentV1.Appointment {
  return {
    id: d._id, associateId: d.associateId, uid: d.uid, recurrenceId: d.recurrenceId, sequence: d.sequence,
    dtstamp: d.dtstamp ?? undefined, start: d.start ?? undefined, end: d.end ?? undefined, timeZone: d.timeZone, allDay: d.allDay,
    summary: d.summary, location: d.location, organizer: d.organizer ?? undefined, attendees: d.attendees,
    status: STATUS[`APPOINTMENT_STATUS_${d.status}`], sourceMailId: d.sourceMailId, createdAt: d.createdAt, updatedAt: d.updatedAt,
  };
}
