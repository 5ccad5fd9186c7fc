// What the human-readable parts say (issue 11 §3), taken from the command: which template, in
// which language and zone, about which event. No formatting here (mail-body.render.ts does it).
import type { eventsV1 } from '@inviteflow/proto-gen';
import { pickLanguage, type Language } from './locale';
import type { RsvpLinks } from './render.types';
import { isIanaZone } from './zone';

export type MailKind = 'new' | 'changed' | 'cancelled' | 'removed' | 'reply' | 'counter' | 'declinecounter' | 'add' | 'refresh';

export interface MailView {
  kind: MailKind;
  language: Language;
  summary: string;
  /** Display forms ("Name <address>" or the address). */
  organizer: string;
  attendee: string;
  partstat: string;
  /** The mail is about one occurrence of a series. */
  instance: boolean;
  start: Date | undefined;
  end: Date | undefined;
  allDay: boolean;
  /** The IANA zone times are shown in: the recipient's when known, else the meeting's; 'UTC' otherwise. */
  zone: string;
  location: string;
  conferenceUrl: string;
  description: string;
  comment: string[];
  rsvp: RsvpLinks | undefined;
}

/** The template for a method and the command's reason (libs/itip's reasons, plus NEW for a booking). */
export function mailKindOf(method: string, reason: string, sequence: number): MailKind {
  switch (method) {
    case 'REQUEST':
      if (reason === 'NEW') return 'new';
      if (reason === 'REFRESH_REQUESTED') return 'refresh';
      return reason === '' && sequence === 0 ? 'new' : 'changed';
    case 'CANCEL':
      return reason === 'ATTENDEE_REMOVED' ? 'removed' : 'cancelled';
    case 'REPLY':
      return 'reply';
    case 'COUNTER':
      return 'counter';
    case 'DECLINECOUNTER':
      return 'declinecounter';
    case 'ADD':
      return 'add';
    default:
      return 'changed';
  }
}

const display = (p: { name: string; address: string } | undefined): string => (p ? (p.name ? `${p.name} <${p.address}>` : p.address) : '');

/** The event the text describes: the occurrence the mail is about, else the master, else the first. */
export function focusEvent(cmd: eventsV1.OutboundRequested, events: eventsV1.CalendarEvent[]): eventsV1.CalendarEvent | undefined {
  const at = cmd.recurrenceId ? Date.parse(cmd.recurrenceId) : NaN;
  return (
    events.find((e) => e.recurrenceId && Date.parse(e.recurrenceId) === at) ??
    events.find((e) => !e.recurrenceId) ??
    events[0]
  );
}

export function mailView(cmd: eventsV1.OutboundRequested, events: eventsV1.CalendarEvent[], rsvp: RsvpLinks | undefined): MailView {
  const e = focusEvent(cmd, events);
  const meetingZone = e?.timeZone || cmd.timeZone;
  const zone = [cmd.recipientTimeZone, meetingZone].find((z) => isIanaZone(z)) ?? 'UTC';
  const answering = cmd.method === 'REPLY' || cmd.method === 'COUNTER';
  const self = answering ? (cmd.actor?.address ? cmd.actor : e?.attendees[0]) : undefined;
  const conferenceUrl = e?.onlineMeetingUrl || cmd.conferenceUrl;
  const location = e?.location || cmd.location;
  return {
    kind: mailKindOf(cmd.method, cmd.reason, cmd.sequence),
    language: pickLanguage(cmd.recipientLocale),
    summary: e?.summary || cmd.summary,
    organizer: display(e?.organizer?.address ? e.organizer : cmd.organizer),
    attendee: display(self),
    partstat: (answering && e?.attendees.find((a) => a.address === self?.address)?.partstat) || e?.attendees[0]?.partstat || '',
    instance: Boolean(cmd.recurrenceId || (e?.recurrenceId && events.length === 1)),
    start: e?.start ?? cmd.start,
    end: e?.end ?? cmd.end,
    allDay: e ? e.allDay : cmd.allDay,
    zone,
    location: location === conferenceUrl ? '' : location,
    conferenceUrl,
    description: e?.description ?? '',
    comment: cmd.comment.length ? cmd.comment : (e?.comment ?? []),
    rsvp,
  };
}
