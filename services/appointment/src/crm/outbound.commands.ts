import { inviteOf, itipCalendar, type ItipMessage } from '@inviteflow/itip';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { PendingEntry } from '../data/meeting.codec';
import type { ActingAssociate, PartyDirectory } from './crm.parties';

export interface CommandContext {
  /** `crm:<request id>`: the audit entry, and the stem of every command's key. */
  auditMailId: string;
  /** The acting associate's copy. */
  meetingId: string;
  actor: ActingAssociate;
  now: Date;
  /** No copy was stored before (a booking): its REQUESTs are sent with reason NEW, for the "new meeting" mail. */
  newMeeting?: boolean;
}

/** A command as the response and the audit name it. */
export interface CommandSummary {
  key: string;
  kind: PendingEntry['kind'];
  method: string;
  recipient: string;
  recurrenceId: string;
  sequence: number;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/**
 * The message's VEVENTs, structured, for outbound-mail to render (issue 11 §1): as libs/itip's
 * inviteOf writes them, with each attendee's own answer (REPLY) in place of the PARTSTAT the
 * REQUEST gave, exactly as itipCalendar writes the `calendar` text (RFC 5546 §3.2.2: the
 * organizer's REQUEST carries the attendees' current status).
 */
export function outboundEvents(msg: ItipMessage): eventsV1.CalendarEvent[] {
  const answered = msg.components.map((c) => ({
    ...c,
    attendees: c.attendees.map((a) => (a.answer ? { ...a, partstat: a.answer.partstat, delegatedTo: a.answer.delegatedTo.length ? a.answer.delegatedTo : a.delegatedTo } : a)),
  }));
  return inviteOf({ ...msg, components: answered }, { mailId: '', from: '', to: [] }).events;
}

/** The instance a message is about: its one component's RECURRENCE-ID, '' for the whole meeting. */
const instanceOfMessage = (msg: ItipMessage): string => (msg.components.length === 1 ? msg.components[0]!.recurrenceId : '');

/**
 * Pure: the planned iTIP messages → one command per recipient (house-style §2: every publish has
 * a business key). An associate (domain.md §2) gets no mail: their copy is updated in place with
 * the message as an InviteParsed (`copy`). Anyone else gets one `mail`: an OutboundRequested with
 * the full iCalendar object and what outbound-mail needs to render it without calling back. Keys
 * derive from the request id, so a retried call or a republished leftover is the same command.
 */
export function buildCommands(messages: ItipMessage[], dir: PartyDirectory, ctx: CommandContext): { pending: PendingEntry[]; summary: CommandSummary[] } {
  const pending: PendingEntry[] = [];
  const summary: CommandSummary[] = [];
  for (const msg of messages) {
    const rid = instanceOfMessage(msg);
    for (const { address } of msg.recipients) {
      const info = dir.get(address);
      const base = { auditMailId: ctx.auditMailId, method: msg.method };
      if (info?.kind === 'associate' && info.owner) {
        const key = `${ctx.auditMailId}:copy:${info.owner.associateId}:${msg.method}:${rid}`;
        const invite = inviteOf(msg, { mailId: ctx.auditMailId, from: ctx.actor.address, to: [address] });
        pending.push({ ...base, key, kind: 'copy', payload: b64(eventsV1.InviteParsed.encode(invite).finish()), owner: info.owner, sender: ctx.actor.owner.addresses });
        summary.push({ key, kind: 'copy', method: msg.method, recipient: address, recurrenceId: rid, sequence: msg.sequence });
        continue;
      }
      const key = `${ctx.auditMailId}:${msg.uid}:${msg.sequence}:${msg.method}:${rid}:${address}`;
      pending.push({ ...base, key, kind: 'mail', payload: b64(eventsV1.OutboundRequested.encode(outboundRequest(msg, key, address, dir, ctx)).finish()) });
      summary.push({ key, kind: 'mail', method: msg.method, recipient: address, recurrenceId: rid, sequence: msg.sequence });
    }
  }
  return { pending, summary };
}

/**
 * One recipient's command: what outbound-mail needs to render and send the message without
 * calling back. Also the builder of the inbound path's outbound messages (a REFRESH answered).
 */
export function outboundRequest(msg: ItipMessage, key: string, address: string, dir: PartyDirectory, ctx: CommandContext): eventsV1.OutboundRequested {
  const c = msg.components.find((k) => !k.recurrenceId) ?? msg.components[0];
  const info = dir.get(address);
  const organizer = c?.organizer ?? { address: ctx.actor.address, name: ctx.actor.name, sentBy: '' };
  return eventsV1.OutboundRequested.fromPartial({
    requestId: key, method: msg.method, uid: msg.uid, sequence: msg.sequence, recipients: [address], calendar: itipCalendar(msg),
    recipientLocale: info?.locale ?? '', recipientTimeZone: info?.timeZone ?? '', recipientName: info?.name ?? '',
    organizer: { address: organizer.address, name: organizer.name, sentBy: organizer.sentBy },
    summary: c?.summary ?? '', start: c?.start ? new Date(c.start) : undefined, end: c?.end ? new Date(c.end) : undefined,
    allDay: c?.allDay ?? false, timeZone: c?.timeZone ?? '', location: c?.location ?? '', conferenceUrl: c?.conference?.url ?? '',
    recurrenceId: instanceOfMessage(msg), reason: ctx.newMeeting && msg.method === 'REQUEST' ? 'NEW' : msg.reason, meetingId: ctx.meetingId, auditMailId: ctx.auditMailId,
    comment: msg.comment ?? [], requestedAt: ctx.now,
    events: outboundEvents(msg), actor: actorOf(msg, organizer, ctx),
  });
}

/** Who the mail comes from: the answering attendee as the iCalendar names them (REPLY, COUNTER), else the organizer. */
function actorOf(msg: ItipMessage, organizer: { address: string; name: string }, ctx: CommandContext): eventsV1.CalendarParty {
  const answering = msg.method === 'REPLY' || msg.method === 'COUNTER';
  const self = answering ? msg.components[0]?.attendees[0] : undefined;
  const party = self ?? organizer;
  return eventsV1.CalendarParty.fromPartial({ address: party.address, name: party.name || (answering || party.address === ctx.actor.address ? ctx.actor.name : '') });
}
