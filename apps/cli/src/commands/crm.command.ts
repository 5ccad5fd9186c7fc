// The CRM commands (issue 10 §2): book, meeting update | cancel | remove-attendee, respond,
// counter propose | accept | decline. Each is one AppointmentService call; the answer says what
// changed, the SEQUENCE, each mail command produced (one per external recipient) and which
// associates' copies were updated in place.
import { appointmentV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import { cliError, EXIT, Output, table } from '../cli-output';
import { appointmentClient, CLI_DEADLINE_MS, cliErrorFromGrpc } from '../grpc-clients';

export interface CrmOptions {
  owner?: string;
  start?: string;
  end?: string;
  'time-zone'?: string;
  'all-day'?: boolean;
  rrule?: string;
  summary?: string;
  location?: string;
  description?: string;
  conference?: string;
  participant?: string[];
  instance?: string;
  comment?: string;
  'request-id'?: string;
  uid?: string;
  from?: string;
}

type Client = appointmentV1.AppointmentServiceClient;
type Invoke = Parameters<typeof callUnary<{ result?: appointmentV1.CrmCommandResult }>>[0];

async function run(addr: string, what: string, invoke: (c: Client) => Invoke, out: Output): Promise<number> {
  const client = appointmentClient(addr);
  let res: { result?: appointmentV1.CrmCommandResult };
  try {
    res = await callUnary(invoke(client), CLI_DEADLINE_MS);
  } catch (err) {
    throw cliErrorFromGrpc(err, 'appointment', addr);
  } finally {
    client.close();
  }
  const r = res.result ?? appointmentV1.CrmCommandResult.fromPartial({});
  out.result(appointmentV1.CrmCommandResult.toJSON(r), crmText(what, r));
  return EXIT.ok;
}

/** Text output: the change, then the mail commands as a table. */
export function crmText(what: string, r: appointmentV1.CrmCommandResult): string {
  const head = `${what}: ${r.changed ? 'done' : 'nothing to change (already so, or a retry)'} — UID ${r.uid}, SEQUENCE ${r.sequence}${r.significant ? ' (bumped)' : ''}, request ${r.requestId}`;
  const copies = r.updatedCopies.length ? `\n  associates updated in place: ${r.updatedCopies.join(', ')}` : '';
  const mails = r.commands.length
    ? `\n${table(['method', 'to', 'instance', 'seq', 'published', 'key'], r.commands.map((c) => [c.method, c.recipient, c.recurrenceId || '-', String(c.sequence), c.published ? 'yes' : 'pending', c.key]))}`
    : '\n  no mail to send';
  return head + copies + mails;
}

const need = (value: string | undefined, what: string, usage: string): string => {
  if (!value) throw cliError('CLI_USAGE', `${what} is required\n${usage}`);
  return value;
};

const timeOf = (o: CrmOptions) => ({ start: o.start ?? '', end: o.end ?? '', timeZone: o['time-zone'] ?? '', allDay: o['all-day'] ?? false });

export const BOOK_USAGE = `usage: book <organizer> --summary S --start T --end T --participant A [--participant B ...]
            [--time-zone Z] [--all-day] [--rrule R] [--location L] [--description D]
            [--conference URL] [--request-id ID] [--uid U]`;

/** `inviteflow book <organizer> …`: BookMeeting. */
export function book(args: string[], o: CrmOptions, addr: string, out: Output): Promise<number> {
  const [organizer, ...rest] = args;
  if (!organizer || rest.length) throw cliError('CLI_USAGE', BOOK_USAGE);
  const req = appointmentV1.BookMeetingRequest.fromPartial({
    requestId: o['request-id'] ?? '', organizer, participants: o.participant ?? [], time: timeOf(o), rrule: o.rrule ?? '',
    summary: need(o.summary, '--summary', BOOK_USAGE), location: o.location ?? '', description: o.description ?? '', conferenceUrl: o.conference ?? '', uid: o.uid ?? '',
  });
  return run(addr, 'book', (c) => (md, opt, cb) => c.bookMeeting(req, md, opt, cb), out);
}

export const MEETING_CRM_USAGE = `       meeting update <uid> --owner <organizer> [--instance RID] [--summary S] [--location L]
                      [--description D] [--conference URL] [--start T --end T [--time-zone Z] [--all-day]]
                      [--rrule R] [--participant A ...] [--request-id ID]
       meeting cancel <uid> --owner <organizer> [--instance RID] [--request-id ID]
       meeting remove-attendee <uid> <address>... --owner <organizer> [--request-id ID]`;

/** `inviteflow meeting update | cancel | remove-attendee`. */
export function meetingCrm(sub: string, uid: string, rest: string[], o: CrmOptions, addr: string, out: Output): Promise<number> {
  const base = { requestId: o['request-id'] ?? '', organizer: need(o.owner, '--owner <organizer>', MEETING_CRM_USAGE), uid };
  if (sub === 'update') {
    const req = appointmentV1.UpdateMeetingRequest.fromPartial({
      ...base, recurrenceId: o.instance ?? '', summary: o.summary, location: o.location, description: o.description, conferenceUrl: o.conference,
      rrule: o.rrule, addParticipants: o.participant ?? [], time: o.start || o.end ? timeOf(o) : undefined,
    });
    return run(addr, 'meeting update', (c) => (md, opt, cb) => c.updateMeeting(req, md, opt, cb), out);
  }
  if (sub === 'cancel') {
    const req = appointmentV1.CancelMeetingRequest.fromPartial({ ...base, recurrenceId: o.instance ?? '' });
    return run(addr, 'meeting cancel', (c) => (md, opt, cb) => c.cancelMeeting(req, md, opt, cb), out);
  }
  if (rest.length === 0) throw cliError('CLI_USAGE', `meeting remove-attendee: at least one address\n${MEETING_CRM_USAGE}`);
  const req = appointmentV1.RemoveAttendeeRequest.fromPartial({ ...base, attendees: rest });
  return run(addr, 'meeting remove-attendee', (c) => (md, opt, cb) => c.removeAttendee(req, md, opt, cb), out);
}

const RESPONSES: Record<string, appointmentV1.Response> = {
  accept: appointmentV1.Response.RESPONSE_ACCEPT, decline: appointmentV1.Response.RESPONSE_DECLINE, tentative: appointmentV1.Response.RESPONSE_TENTATIVE,
};

export const RESPOND_USAGE = 'usage: respond <uid> accept|decline|tentative --owner <associate> [--instance RID] [--comment C] [--request-id ID]';

/** `inviteflow respond <uid> accept|decline|tentative`: RespondToInvitation. */
export function respond(args: string[], o: CrmOptions, addr: string, out: Output): Promise<number> {
  const [uid, answer, ...rest] = args;
  const response = answer ? RESPONSES[answer] : undefined;
  if (!uid || response === undefined || rest.length) throw cliError('CLI_USAGE', RESPOND_USAGE);
  const req = appointmentV1.RespondToInvitationRequest.fromPartial({
    requestId: o['request-id'] ?? '', associate: need(o.owner, '--owner <associate>', RESPOND_USAGE), uid, response, recurrenceId: o.instance ?? '', comment: o.comment ?? '',
  });
  return run(addr, `respond ${answer}`, (c) => (md, opt, cb) => c.respondToInvitation(req, md, opt, cb), out);
}

export const COUNTER_USAGE = `usage: counter propose <uid> --owner <associate> --start T --end T [--time-zone Z] [--instance RID] [--location L] [--comment C]
       counter accept <uid> --owner <organizer> --from <attendee> [--instance RID]
       counter decline <uid> --owner <organizer> --from <attendee> [--instance RID] [--comment C]`;

/** `inviteflow counter propose | accept | decline`: ProposeNewTime, AcceptCounter, DeclineCounter. */
export function counter(args: string[], o: CrmOptions, addr: string, out: Output): Promise<number> {
  const [sub, uid, ...rest] = args;
  if (!uid || rest.length) throw cliError('CLI_USAGE', COUNTER_USAGE);
  const owner = need(o.owner, '--owner', COUNTER_USAGE);
  const base = { requestId: o['request-id'] ?? '', uid, recurrenceId: o.instance ?? '' };
  if (sub === 'propose') {
    const req = appointmentV1.ProposeNewTimeRequest.fromPartial({ ...base, associate: owner, time: timeOf(o), location: o.location ?? '', comment: o.comment ?? '' });
    return run(addr, 'counter propose', (c) => (md, opt, cb) => c.proposeNewTime(req, md, opt, cb), out);
  }
  const from = need(o.from, '--from <attendee>', COUNTER_USAGE);
  if (sub === 'accept') {
    const req = appointmentV1.AcceptCounterRequest.fromPartial({ ...base, organizer: owner, from });
    return run(addr, 'counter accept', (c) => (md, opt, cb) => c.acceptCounter(req, md, opt, cb), out);
  }
  if (sub !== 'decline') throw cliError('CLI_USAGE', COUNTER_USAGE);
  const req = appointmentV1.DeclineCounterRequest.fromPartial({ ...base, organizer: owner, from, comment: o.comment ?? '' });
  return run(addr, 'counter decline', (c) => (md, opt, cb) => c.declineCounter(req, md, opt, cb), out);
}
