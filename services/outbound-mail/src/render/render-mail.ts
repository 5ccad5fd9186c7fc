// renderOutboundMail (render.types.ts): one command on mail.outbound-requested.v1 and one of its
// recipients → the message to send. The steps: check the command, the calendar (ical-generator),
// the words (the recipient's language and zone), the MIME around them (MailComposer).
import { eventsV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import { CALENDAR_METHODS, renderCalendar, type CalendarMethod } from './calendar.render';
import { renderBody } from './mail-body.render';
import { mailView } from './mail-view';
import { composeMime, type Party } from './mime.compose';
import type { RenderedMail, RenderOptions, RenderOutboundMail } from './render.types';

export const RENDER_FAILED = 'RENDER_FAILED';

const failed = (cmd: eventsV1.OutboundRequested, why: string): AppError =>
  new AppError({ code: RENDER_FAILED, retryable: false, message: `cannot render ${cmd.method || '(no method)'} ${cmd.uid || '(no UID)'}: ${why}`, details: { requestId: cmd.requestId } });

function methodOf(cmd: eventsV1.OutboundRequested): CalendarMethod {
  const method = cmd.method.toUpperCase();
  if (!(CALENDAR_METHODS as readonly string[]).includes(method)) throw failed(cmd, `method "${cmd.method}" is not an iTIP method`);
  return method as CalendarMethod;
}

/**
 * The structured events (field 24). A command queued before they existed carries the meeting in
 * its summary fields only: one event is made of those, with the recipients as attendees.
 */
function eventsOf(cmd: eventsV1.OutboundRequested): eventsV1.CalendarEvent[] {
  const events = cmd.events.filter((e) => e.start);
  if (events.length) return events;
  if (!cmd.start) throw failed(cmd, 'the command carries no event with a start time');
  return [eventsV1.CalendarEvent.fromPartial({
    recurrenceId: cmd.recurrenceId, sequence: cmd.sequence, start: cmd.start, end: cmd.end, timeZone: cmd.timeZone, allDay: cmd.allDay,
    summary: cmd.summary, location: cmd.location, organizer: cmd.organizer, onlineMeetingUrl: cmd.conferenceUrl, comment: cmd.comment,
    attendees: cmd.recipients.map((address) => ({ address, partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT', rsvp: true })),
  })];
}

/** Who sends it: the command's actor; else the answering attendee (REPLY, COUNTER) or the organizer. */
function actorOf(cmd: eventsV1.OutboundRequested, events: eventsV1.CalendarEvent[]): Party {
  const answering = cmd.method === 'REPLY' || cmd.method === 'COUNTER';
  const found = cmd.actor?.address ? cmd.actor : answering ? events[0]?.attendees[0] : events[0]?.organizer?.address ? events[0].organizer : cmd.organizer;
  if (!found?.address) throw failed(cmd, 'no sender: neither an actor nor an organizer address');
  return { address: found.address, name: found.name };
}

/** The recipient's name: the directory's, else the CN the calendar gives them. */
function recipientOf(cmd: eventsV1.OutboundRequested, events: eventsV1.CalendarEvent[], address: string): Party {
  const lower = address.toLowerCase();
  const parties = events.flatMap((e) => [...(e.organizer ? [e.organizer] : []), ...e.attendees]);
  const named = parties.find((p) => p.address.toLowerCase() === lower && p.name);
  return { address, name: cmd.recipientName || named?.name || '' };
}

export const renderOutboundMail: RenderOutboundMail = async (cmd: eventsV1.OutboundRequested, recipient: string, options: RenderOptions): Promise<RenderedMail> => {
  const method = methodOf(cmd);
  if (!cmd.uid) throw failed(cmd, 'no UID');
  if (!/^[^@\s]+@[^@\s]+$/.test(recipient)) throw failed(cmd, `recipient "${recipient}" is not an address`);
  const events = eventsOf(cmd);
  const actor = actorOf(cmd, events);
  const calendar = renderCalendar({ method, uid: cmd.uid, sequence: cmd.sequence, events, stamp: cmd.requestedAt ?? options.now() });
  const rsvp = method === 'REQUEST' ? options.rsvpLinks?.(cmd, recipient) : undefined;
  const view = mailView({ ...cmd, method }, events, rsvp);
  const body = renderBody(view);
  const composed = await composeMime({
    businessKey: cmd.requestId, recipient: recipientOf(cmd, events, recipient), actor, from: options.from, messageIdDomain: options.messageIdDomain,
    method, calendar, subject: body.subject, text: body.text, html: body.html, date: cmd.requestedAt ?? options.now(),
  });
  return { ...composed, calendar, locale: view.language, subject: body.subject };
};
