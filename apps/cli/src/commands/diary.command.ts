import { appointmentV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import { Output, table, EXIT } from '../cli-output';
import { appointmentClient, CLI_DEADLINE_MS, cliErrorFromGrpc } from '../grpc-clients';

const STATUS = appointmentV1.AppointmentStatus;

/** `inviteflow diary <associate address>`: the associate's appointments, by start time. */
export async function diary(associate: string, addr: string, out: Output): Promise<number> {
  const client = appointmentClient(addr);
  try {
    const res = await callUnary<appointmentV1.ListDiaryResponse>((md, o, cb) => client.listDiary({ associate }, md, o, cb), CLI_DEADLINE_MS);
    const rows = res.appointments.map((a) => [
      a.start?.toISOString() ?? '', a.end?.toISOString() ?? '', a.timeZone, statusName(a.status), String(a.sequence),
      a.summary, a.organizer?.address ?? '', a.uid.length > 40 ? `${a.uid.slice(0, 37)}...` : a.uid,
    ]);
    out.result(
      { associateId: res.associateId, appointments: res.appointments.map((a) => appointmentV1.Appointment.toJSON(a)) },
      rows.length === 0
        ? `no appointments in the diary of ${associate}`
        : table(['start (UTC)', 'end (UTC)', 'time zone', 'status', 'seq', 'summary', 'organizer', 'uid'], rows),
    );
    return EXIT.ok;
  } catch (err) {
    throw cliErrorFromGrpc(err, 'appointment', addr);
  } finally {
    client.close();
  }
}

function statusName(s: appointmentV1.AppointmentStatus): string {
  return (STATUS[s] ?? 'UNSPECIFIED').replace('APPOINTMENT_STATUS_', '');
}
