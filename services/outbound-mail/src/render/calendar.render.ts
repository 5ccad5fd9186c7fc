// The iCalendar object of one outbound iTIP message (RFC 5545, RFC 5546), written with
// ical-generator from the command's structured events (master and overrides) — never by
// re-parsing the `calendar` text. Times are written in the event's zone with a VTIMEZONE for it
// (vtimezone.ts), or in UTC when the zone is unknown; all-day events as dates.
import { TZDate } from '@date-fns/tz';
import ical, { ICalCalendarMethod, ICalEventBusyStatus, ICalEventStatus, ICalEventTransparency, formatDate, type ICalCalendar } from 'ical-generator';
import type { eventsV1 } from '@inviteflow/proto-gen';
import { attendeeData, organizerData } from './calendar.parties';
import { conferenceProperties, conferenceText } from './calendar.conference';
import { vtimezoneOf } from './vtimezone';

export const CALENDAR_METHODS = ['REQUEST', 'CANCEL', 'REPLY', 'COUNTER', 'DECLINECOUNTER', 'ADD', 'REFRESH', 'PUBLISH'] as const;
export type CalendarMethod = (typeof CALENDAR_METHODS)[number];

const EVENT_STATUS: Record<string, ICalEventStatus> = { TENTATIVE: ICalEventStatus.TENTATIVE, CONFIRMED: ICalEventStatus.CONFIRMED, CANCELLED: ICalEventStatus.CANCELLED };

export interface CalendarInput {
  method: CalendarMethod;
  uid: string;
  /** The command's SEQUENCE, for an event that carries none. */
  sequence: number;
  events: eventsV1.CalendarEvent[];
  /** DTSTAMP for an event that carries none (RFC 5545 §3.8.7.2: when the message was made). */
  stamp: Date;
}

export function renderCalendar(input: CalendarInput): string {
  const cal = ical({ prodId: { company: 'inviteflow', product: 'outbound-mail', language: 'EN' }, method: ICalCalendarMethod[input.method] });
  // No calendar-wide zone (DTSTAMP stays in UTC); the generator adds a VTIMEZONE per event zone.
  cal.timezone({ name: null, generator: vtimezoneOf });
  for (const e of input.events) addEvent(cal, input, e);
  return `${cal.toString()}\r\n`;
}

/** The zone an event's times are written in: a zone we can give a VTIMEZONE for, else '' (UTC). */
const zoneOf = (e: eventsV1.CalendarEvent): string => (!e.allDay && e.timeZone && vtimezoneOf(e.timeZone) ? e.timeZone : '');

/** A time as ical-generator takes it: in the zone (TZDate), or a plain instant for UTC and dates. */
const at = (d: Date, zone: string): Date => (zone ? new TZDate(d.getTime(), zone) : d);

function addEvent(cal: ICalCalendar, input: CalendarInput, e: eventsV1.CalendarEvent): void {
  if (!e.start) return;
  const zone = zoneOf(e);
  const cancelled = input.method === 'CANCEL';
  const url = e.onlineMeetingUrl;
  const ev = cal.createEvent({
    id: input.uid, sequence: e.sequence || input.sequence, stamp: e.dtstamp ?? input.stamp, allDay: e.allDay,
    start: at(e.start, zone), end: e.end ? at(e.end, zone) : null, timezone: zone || null,
    summary: e.summary, location: e.location || url || null, description: conferenceText(e.description, url) || null,
    organizer: e.organizer?.address ? organizerData(e.organizer) : null,
    attendees: e.attendees.filter((a) => a.address).map(attendeeData),
    // RFC 5546 §3.2.5: a CANCEL carries STATUS:CANCELLED on every component it cancels.
    status: cancelled ? ICalEventStatus.CANCELLED : (EVENT_STATUS[e.status] ?? null),
    transparency: cancelled || e.transparency === 'TRANSPARENT' ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
    busystatus: busyStatus(input.method, e),
  });
  if (e.recurrenceId) ev.recurrenceId(at(new Date(e.recurrenceId), zone));
  const recurrence = recurrenceLines(e, zone);
  if (recurrence) ev.repeating(recurrence);
  // ical-generator's x() checks the X- prefix only for keyed input; the [name, value] form also
  // carries the RFC 7986 CONFERENCE and RFC 5545 COMMENT, which it has no setter for (values are
  // TEXT-escaped, right for COMMENT; conference.ts keeps the URI free of characters it would escape).
  ev.x([...conferenceProperties(url, e.onlineMeetingProvider, e.onlineMeetingLabel), ...outlookProperties(input.method, e), ...e.comment.map((c) => ['COMMENT', c] as [string, string])]);
}

/**
 * RRULE, RDATE and EXDATE (RFC 5545 §3.8.5), given to ical-generator as the text it inserts for
 * a rule: its options object cannot carry every RRULE part (BYSETPOS with BYHOUR, BYWEEKNO, …),
 * and the rule is kept exactly as the organizer wrote it. EXDATEs are written in the event's zone,
 * as DTSTART is (§3.8.5.1: same value type).
 */
function recurrenceLines(e: eventsV1.CalendarEvent, zone: string): string {
  if (e.recurrenceId) return '';
  const when = (iso: string): string => formatDate(zone || null, at(new Date(iso), zone), e.allDay, Boolean(zone));
  const exdate = e.exdate.length ? [`EXDATE${e.allDay ? ';VALUE=DATE' : zone ? `;TZID=${zone}` : ''}:${e.exdate.map(when).join(',')}`] : [];
  const rdate = e.rdate.map((r) => (r.includes('/') ? `RDATE;VALUE=PERIOD:${r.split('/').map((p) => formatDate(null, new Date(p))).join('/')}` : `RDATE:${formatDate(null, new Date(r))}`));
  const lines = [...e.rrule.map((r) => `RRULE:${r.replace(/^RRULE:/i, '')}`), ...rdate, ...exdate];
  return lines.length ? lines.join('\r\n') : '';
}

/**
 * X-MICROSOFT-CDO-BUSYSTATUS (MS-OXCICAL §2.1.3.1.1.20.2): how Outlook shows the time while the
 * message is open. A REQUEST shows tentative until answered; a cancelled slot is free; a REPLY
 * shows the answer.
 */
function busyStatus(method: CalendarMethod, e: eventsV1.CalendarEvent): ICalEventBusyStatus | null {
  if (method === 'CANCEL' || e.transparency === 'TRANSPARENT') return ICalEventBusyStatus.FREE;
  if (method === 'REPLY') {
    const p = e.attendees[0]?.partstat;
    return p === 'ACCEPTED' ? ICalEventBusyStatus.BUSY : p === 'DECLINED' ? ICalEventBusyStatus.FREE : ICalEventBusyStatus.TENTATIVE;
  }
  return method === 'REQUEST' || method === 'ADD' ? ICalEventBusyStatus.TENTATIVE : null;
}

/** X-MICROSOFT-CDO-INTENDEDSTATUS (MS-OXCICAL §2.1.3.1.1.20.9): what the slot becomes once accepted. */
function outlookProperties(method: CalendarMethod, e: eventsV1.CalendarEvent): [string, string][] {
  if (method === 'CANCEL') return [['X-MICROSOFT-CDO-INTENDEDSTATUS', 'FREE']];
  if (method !== 'REQUEST' && method !== 'ADD') return [];
  return [['X-MICROSOFT-CDO-INTENDEDSTATUS', e.busyStatus || (e.transparency === 'TRANSPARENT' ? 'FREE' : 'BUSY')]];
}
