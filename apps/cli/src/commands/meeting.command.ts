import { readFileSync } from 'node:fs';
import { appointmentV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import { cliError, EXIT, Output } from '../cli-output';
import { appointmentClient, CLI_DEADLINE_MS, cliErrorFromGrpc } from '../grpc-clients';
import { historyText, importText, meetingText } from './meeting.format';
import { readImportFile } from './meeting.import-file';

export interface MeetingOptions {
  owner?: string;
  ics?: boolean;
  json?: boolean;
}

const USAGE = `usage: meeting show <uid> [--owner <associate>] [--json | --ics]
       meeting import <file.ics> --owner <associate>
       meeting history <uid> [--json]`;

type Call = <Res>(invoke: (c: appointmentV1.AppointmentServiceClient) => Parameters<typeof callUnary<Res>>[0]) => Promise<Res>;

async function withAppointment<T>(addr: string, fn: (call: Call) => Promise<T>): Promise<T> {
  const client = appointmentClient(addr);
  try {
    return await fn((invoke) => callUnary(invoke(client), CLI_DEADLINE_MS));
  } catch (err) {
    throw cliErrorFromGrpc(err, 'appointment', addr);
  } finally {
    client.close();
  }
}

/** `inviteflow meeting show | import | history`: a meeting's copies, seeding one, its audit trail. */
export async function meeting(args: string[], opts: MeetingOptions, addr: string, out: Output): Promise<number> {
  const [sub, target, ...rest] = args;
  if (!target || rest.length > 0) throw cliError('CLI_USAGE', USAGE);
  switch (sub) {
    case 'show':
      return show(target, opts, addr, out);
    case 'import':
      return importFile(target, opts, addr, out);
    case 'history':
      return history(target, addr, out);
    default:
      throw cliError('CLI_USAGE', USAGE);
  }
}

async function show(uid: string, opts: MeetingOptions, addr: string, out: Output): Promise<number> {
  if (opts.ics && opts.json) throw cliError('CLI_USAGE', 'meeting show: --json or --ics, not both');
  const res = await withAppointment(addr, (call) =>
    call<appointmentV1.GetMeetingResponse>((c) => (md, o, cb) => c.getMeeting({ uid, owner: opts.owner ?? '' }, md, o, cb)));
  if (opts.ics) {
    // One VCALENDAR per copy, as libs/itip writes it (the owner's state in X-INVITEFLOW- lines).
    process.stdout.write(res.copies.map((c) => c.icalendar).join(''));
    return EXIT.ok;
  }
  // --json: each copy's stored model as kept (MeetingCopy.model_json), beside the structured view.
  out.result({ uid: res.uid, copies: res.copies.map((c) => ({ ...appointmentV1.MeetingCopy.toJSON(c) as object, modelJson: undefined, model: JSON.parse(c.modelJson) })) }, meetingText(res));
  return EXIT.ok;
}

async function importFile(file: string, opts: MeetingOptions, addr: string, out: Output): Promise<number> {
  if (!opts.owner) throw cliError('CLI_USAGE', `meeting import: --owner <associate> is required\n${USAGE}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw cliError('CLI_FILE_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = readImportFile(file, bytes);
  const req = { owner: opts.owner, uid: parsed.uid, events: parsed.events, source: parsed.source, sha256: parsed.sha256 };
  const res = await withAppointment(addr, (call) => call<appointmentV1.ImportMeetingResponse>((c) => (md, o, cb) => c.importMeeting(req, md, o, cb)));
  const warnings = parsed.warnings.length ? `\n  parser warnings: ${parsed.warnings.join(', ')}` : '';
  out.result({ file, warnings: parsed.warnings, ...(appointmentV1.ImportMeetingResponse.toJSON(res) as object) }, importText(file, res) + warnings);
  // Refused (UNAUTHORISED, STALE …): the file was read but not applied.
  return ['APPLIED', 'DUPLICATE'].includes(res.outcome) ? EXIT.ok : EXIT.partial;
}

async function history(uid: string, addr: string, out: Output): Promise<number> {
  const res = await withAppointment(addr, (call) => call<appointmentV1.MeetingHistoryResponse>((c) => (md, o, cb) => c.meetingHistory({ uid }, md, o, cb)));
  out.result(appointmentV1.MeetingHistoryResponse.toJSON(res), historyText(res));
  return EXIT.ok;
}
