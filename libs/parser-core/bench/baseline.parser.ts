// The benchmark's baseline (issue 4, "Benchmark"): what a team would write first. mailparser's
// simpleParser with its DEFAULT options, then ical.js on every calendar attachment, reading the
// same fields our normalised message carries. No limits, no bounce detection, no Windows zones.
import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';

type IcalComponent = InstanceType<typeof ICAL.Component>;
type IcalProperty = InstanceType<typeof ICAL.Property>;

export interface BaselineParty {
  address: string;
  name: string;
  partstat: string;
  role: string;
  rsvp: boolean;
  cutype: string;
}

export interface BaselineEvent {
  uid: string;
  recurrenceId: string;
  sequence: number;
  dtstamp: string;
  start: string;
  end: string;
  timeZone: string;
  allDay: boolean;
  summary: string;
  location: string;
  description: string;
  status: string;
  organizer: BaselineParty | undefined;
  attendees: BaselineParty[];
  rrule: string[];
}

export interface BaselineResult {
  method: string;
  events: BaselineEvent[];
}

export async function baselineParseMail(raw: Buffer): Promise<BaselineResult[]> {
  const mail = await simpleParser(raw);
  return mail.attachments
    .filter((a) => /^(text\/calendar|application\/ics)$/i.test(a.contentType) || /\.ics$/i.test(a.filename ?? ''))
    .map((a) => baselineParseCalendar(a.content.toString('utf8')));
}

export function baselineParseCalendar(text: string): BaselineResult {
  const vcalendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  // What ical.js users do so that TZID-qualified times resolve: register the VTIMEZONEs. The
  // registry is global, so they are removed again afterwards: one sender's "FLE Standard Time"
  // must not shape the next message, nor the other side of the benchmark (ical.js is shared).
  const registered = vcalendar.getAllSubcomponents('vtimezone').map((vtimezone) => {
    const zone = new ICAL.Timezone(vtimezone);
    ICAL.TimezoneService.register(zone);
    return zone.tzid;
  });
  try {
    const method = vcalendar.getFirstPropertyValue('method');
    return {
      method: typeof method === 'string' ? method.toUpperCase() : '',
      events: vcalendar.getAllSubcomponents('vevent').map(readEvent),
    };
  } finally {
    for (const tzid of registered) ICAL.TimezoneService.remove(tzid);
  }
}

function readEvent(vevent: IcalComponent): BaselineEvent {
  const event = new ICAL.Event(vevent);
  const start = event.startDate;
  return {
    uid: event.uid ?? '',
    recurrenceId: event.recurrenceId ? event.recurrenceId.toJSDate().toISOString() : '',
    sequence: event.sequence ?? 0,
    dtstamp: isoOf(vevent.getFirstPropertyValue('dtstamp')),
    start: start ? start.toJSDate().toISOString() : '',
    end: event.endDate ? event.endDate.toJSDate().toISOString() : '',
    timeZone: text(vevent.getFirstProperty('dtstart')?.getParameter('tzid')),
    allDay: start?.isDate ?? false,
    summary: event.summary ?? '',
    location: event.location ?? '',
    description: event.description ?? '',
    status: text(vevent.getFirstPropertyValue('status')),
    organizer: vevent.getFirstProperty('organizer') ? party(vevent.getFirstProperty('organizer')!) : undefined,
    attendees: event.attendees.map(party),
    rrule: vevent.getAllProperties('rrule').map((p) => String(p.getFirstValue())),
  };
}

function party(prop: IcalProperty): BaselineParty {
  return {
    address: text(prop.getFirstValue()).replace(/^mailto:/i, '').toLowerCase(),
    name: text(prop.getParameter('cn')),
    partstat: text(prop.getParameter('partstat')),
    role: text(prop.getParameter('role')),
    rsvp: text(prop.getParameter('rsvp')).toUpperCase() === 'TRUE',
    cutype: text(prop.getParameter('cutype')),
  };
}

function isoOf(value: unknown): string {
  return value instanceof ICAL.Time ? value.toJSDate().toISOString() : '';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : '';
}
