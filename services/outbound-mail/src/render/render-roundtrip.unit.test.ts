// Round trip (issue 11, "Tests that must exist"): every method rendered, fed back through the
// project's own parser (libs/parser-core), yields the iTIP meaning the command asked for; every
// calendar also parses cleanly with ical.js, with a VTIMEZONE for each zone it names.
import ICAL from 'ical.js';
import { parseMail } from '@inviteflow/parser-core';
import { eventsV1 } from '@inviteflow/proto-gen';
import { conferenceProperties } from './calendar.conference';
import { renderOutboundMail } from './render-mail';
import { command, GUEST, MARGE, master, OPTIONS, override, reply } from './render.fixture';

const iso = (d: Date | string | undefined): string => (d ? new Date(d).toISOString() : '');

/** What the iTIP message means: identity, ordering, times, rule, parties and answers (RFC 5546 §2.1). */
function meaning(method: string, uid: string, events: eventsV1.CalendarEvent[]): unknown {
  return {
    method, uid,
    events: events.map((e) => ({
      recurrenceId: iso(e.recurrenceId), sequence: e.sequence, start: iso(e.start), end: iso(e.end), allDay: e.allDay,
      timeZone: e.allDay || e.timeZone === 'UTC' ? '' : e.timeZone, status: method === 'CANCEL' ? 'CANCELLED' : e.status, summary: e.summary,
      rrule: e.rrule, exdate: e.exdate.map(iso), comment: e.comment, onlineMeetingUrl: e.onlineMeetingUrl,
      organizer: e.organizer?.address, attendees: e.attendees.map((a) => [a.address, a.name, a.partstat, a.role, a.rsvp]),
    })),
  };
}

const allDay = master({ allDay: true, timeZone: '', start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-04-03T00:00:00Z'), rrule: [], exdate: [], onlineMeetingUrl: '', onlineMeetingProvider: '' });
const utc = master({ timeZone: '', rrule: [], exdate: [], onlineMeetingUrl: 'https://meet.example/abc-def', onlineMeetingProvider: 'conference', onlineMeetingLabel: 'Join "now"' });
const instance = override({ start: new Date('2026-03-24T08:00:00Z'), end: new Date('2026-03-24T09:00:00Z'), timeZone: 'Europe/Oslo', status: 'CANCELLED' });
const proposal = master({ attendees: [eventsV1.CalendarParty.fromPartial({ ...GUEST, partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT' })], start: new Date('2026-03-10T12:00:00Z'), end: new Date('2026-03-10T13:00:00Z'), rrule: [], exdate: [], comment: ['After lunch?'] });
const added = master({ rrule: [], exdate: [], start: new Date('2026-05-05T07:00:00Z'), end: new Date('2026-05-05T08:00:00Z') });

const CASES: [string, eventsV1.OutboundRequested, string][] = [
  ['REQUEST for a series with an override in another zone', command(), GUEST.address],
  ['REQUEST for an all-day meeting', command({ events: [allDay], reason: 'NEW', sequence: 0 }), GUEST.address],
  ['REQUEST written in UTC with a conference link', command({ events: [utc] }), GUEST.address],
  ['CANCEL of the whole meeting', command({ method: 'CANCEL', reason: 'MEETING_CANCELLED', sequence: 3, events: [master({ sequence: 3, status: 'CANCELLED' })] }), GUEST.address],
  ['CANCEL of one occurrence', command({ method: 'CANCEL', reason: 'INSTANCE_CANCELLED', recurrenceId: '2026-03-24T08:00:00.000Z', events: [instance] }), GUEST.address],
  ['REPLY accepting', reply('ACCEPTED'), MARGE.address],
  ['REPLY declining with a comment', reply('DECLINED', { comment: ['Sorry, away'], events: [master({ attendees: [eventsV1.CalendarParty.fromPartial({ ...GUEST, partstat: 'DECLINED', role: 'REQ-PARTICIPANT' })], rrule: [], exdate: [], comment: ['Sorry, away'] })] }), MARGE.address],
  ['COUNTER proposing a new time', command({ method: 'COUNTER', reason: 'COUNTER_PROPOSED', recipients: [MARGE.address], actor: eventsV1.CalendarParty.fromPartial(GUEST), events: [proposal] }), MARGE.address],
  ['DECLINECOUNTER', command({ method: 'DECLINECOUNTER', reason: 'COUNTER_DECLINED', events: [master({ rrule: [], exdate: [], comment: ['Mornings only'] })] }), GUEST.address],
  ['ADD of an extra occurrence', command({ method: 'ADD', events: [added] }), GUEST.address],
];

describe('renderOutboundMail: round trip through the project parser and ical.js', () => {
  test.each(CASES)('When a %s is rendered and parsed back, then it means what the command asked for', async (_what, cmd, recipient) => {
    // Act
    const mail = await renderOutboundMail(cmd, recipient, OPTIONS);
    const outcome = await parseMail(mail.raw, { mailId: 'round-trip', envelopeFrom: mail.envelope.from, envelopeTo: mail.envelope.to });
    // Assert
    if (outcome.kind !== 'parsed') throw new Error(`parser said ${outcome.kind}: ${outcome.reasonCode} ${outcome.detail}`);
    expect(outcome.invites).toHaveLength(1);
    const invite = outcome.invites[0]!;
    expect(meaning(invite.method, invite.uid, invite.events)).toEqual(meaning(cmd.method, cmd.uid, cmd.events));
    expect(invite.warnings).toEqual([]);
  });

  test.each(CASES)('When a %s is rendered, then ical.js reads every event at the same instants, with a VTIMEZONE for every TZID', async (_what, cmd, recipient) => {
    // Act
    const mail = await renderOutboundMail(cmd, recipient, OPTIONS);
    const root = new ICAL.Component(ICAL.parse(mail.calendar));
    // Assert
    expect(root.getFirstPropertyValue('method')).toBe(cmd.method);
    const zones = root.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'));
    const vevents = root.getAllSubcomponents('vevent');
    const used = new Set(vevents.flatMap((v) => v.getAllProperties().map((p) => p.getParameter('tzid')).filter((z): z is string => typeof z === 'string')));
    expect([...used].sort()).toEqual([...zones].sort());
    // All-day events are dates (RFC 5545 §3.3.4), compared as dates; the rest as instants.
    const read = (t: InstanceType<typeof ICAL.Time>): string => (t.isDate ? t.toString() : iso(t.toJSDate()));
    const want = (e: eventsV1.CalendarEvent, d: Date | undefined): string => (e.allDay ? iso(d).slice(0, 10) : iso(d));
    expect(vevents.map((v) => { const e = new ICAL.Event(v); return [read(e.startDate), read(e.endDate)]; }))
      .toEqual(cmd.events.map((e) => [want(e, e.start), want(e, e.end)]));
  });

  test('When a cancellation is rendered, then every VEVENT says STATUS:CANCELLED and Outlook is told the slot is free', async () => {
    // Act
    const mail = await renderOutboundMail(CASES[3]![1], GUEST.address, OPTIONS);
    // Assert
    expect(mail.calendar).toMatch(/^STATUS:CANCELLED\r$/m);
    expect(mail.calendar).toMatch(/^X-MICROSOFT-CDO-BUSYSTATUS:FREE\r$/m);
    expect(mail.calendar).toMatch(/^X-MICROSOFT-CDO-INTENDEDSTATUS:FREE\r$/m);
  });

  test('When a meeting has a Teams link, then it is written as CONFERENCE and X-MICROSOFT-SKYPETEAMSMEETINGURL, and in DESCRIPTION', async () => {
    // Act
    const unfolded = (await renderOutboundMail(command(), GUEST.address, OPTIONS)).calendar.replace(/\r\n /g, '');
    // Assert
    const url = master().onlineMeetingUrl;
    expect(unfolded).toContain(`CONFERENCE;VALUE=URI;FEATURE=VIDEO:${url}\r\n`);
    expect(unfolded).toContain(`X-MICROSOFT-SKYPETEAMSMEETINGURL:${url}\r\n`);
    expect(conferenceProperties('https://meet.example/a;b,c', 'zoom', '')).toEqual([]); // would be TEXT-escaped: LOCATION / DESCRIPTION only
    expect(unfolded).toMatch(new RegExp(`^DESCRIPTION:.*\\\\n\\\\n${url.replace(/[.?]/g, '\\$&')}\r$`, 'm'));
  });
});
