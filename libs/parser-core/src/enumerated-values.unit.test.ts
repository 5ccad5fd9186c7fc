import { eventsV1 } from '@inviteflow/proto-gen';
import { TEST_CONTEXT, vcalendar, vevent } from '@inviteflow/testing';
import { parseCalendarText } from './calendar-parser';

// Issue 13, point 4: a value outside RFC 5545 (and RFC 6638's SCHEDULE-AGENT) never reaches the
// scheduling agent; the rule is written in enumerated-values.ts.
function parseOne(...lines: string[]): { event: eventsV1.CalendarEvent; warnings: string[] } {
  const outcome = parseCalendarText(vcalendar('REQUEST', ...vevent('UID:e', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240110T090000Z', ...lines)), TEST_CONTEXT);
  if (outcome.kind !== 'parsed') throw new Error(`${outcome.reasonCode}: ${outcome.detail}`);
  return { event: outcome.invites[0]!.events[0]!, warnings: outcome.invites[0]!.warnings };
}

describe('STATUS, TRANSP and CLASS (RFC 5545 §3.8.1.11, §3.8.2.7, §3.8.1.3)', () => {
  test.each([
    // written, status, transparency, classification, warnings
    [[], '', 'OPAQUE', 'PUBLIC', 0],
    [['STATUS:CONFIRMED', 'TRANSP:TRANSPARENT', 'CLASS:CONFIDENTIAL'], 'CONFIRMED', 'TRANSPARENT', 'CONFIDENTIAL', 0],
    [['STATUS:cancelled', 'TRANSP:Opaque', 'CLASS:private'], 'CANCELLED', 'OPAQUE', 'PRIVATE', 0],
    [['STATUS:INVALID_VALUE'], '', 'OPAQUE', 'PUBLIC', 1],
    [['STATUS:NEEDS-ACTION'], '', 'OPAQUE', 'PUBLIC', 1], // a VTODO status, not a VEVENT one
    [['STATUS:X-POSTPONED'], '', 'OPAQUE', 'PUBLIC', 1], // STATUS admits no x-name
    [['TRANSP:BUSY'], '', 'OPAQUE', 'PUBLIC', 1],
    [['CLASS:X-SECRET'], '', 'OPAQUE', 'PRIVATE', 1], // §3.8.1.3: unknown x-name → PRIVATE
    [['CLASS:INVALID_VALUE'], '', 'OPAQUE', 'PRIVATE', 1], // never PUBLIC by accident
    [['STATUS:'], '', 'OPAQUE', 'PUBLIC', 0], // empty is absent
  ] as const)('When the VEVENT has %j, then status %j, transparency %j, classification %j', (lines, status, transparency, classification, warningCount) => {
    const { event, warnings } = parseOne(...lines);

    expect(event).toMatchObject({ status, transparency, classification });
    expect(warnings.filter((w) => w.startsWith('ENUM_VALUE_INVALID: '))).toHaveLength(warningCount);
  });

  test('When STATUS is invalid, then the warning names what was written and what was used', () => {
    expect(parseOne('STATUS:INVALID_VALUE').warnings).toEqual(['ENUM_VALUE_INVALID: STATUS=INVALID_VALUE read as (absent)']);
  });
});

describe('ATTENDEE parameters (RFC 5545 §3.2.3, §3.2.12, §3.2.16; RFC 6638 §7.1)', () => {
  test.each([
    ['PARTSTAT=ACCEPTED', { partstat: 'ACCEPTED' }, 0],
    ['PARTSTAT=declined', { partstat: 'DECLINED' }, 0],
    ['PARTSTAT=INVALID_VALUE', { partstat: 'NEEDS-ACTION' }, 1],
    ['PARTSTAT=X-MAYBE', { partstat: 'NEEDS-ACTION' }, 1], // §3.2.12: unknown x-name as NEEDS-ACTION
    ['PARTSTAT=COMPLETED', { partstat: 'NEEDS-ACTION' }, 1], // a VTODO value
    ['ROLE=X-HOST', { role: 'REQ-PARTICIPANT' }, 1],
    ['ROLE=chair', { role: 'CHAIR' }, 0],
    ['CUTYPE=X-ROBOT', { cutype: 'UNKNOWN' }, 1], // §3.2.3: unknown as UNKNOWN
    ['CUTYPE=ROOM', { cutype: 'ROOM' }, 0],
    ['SCHEDULE-AGENT=client', { scheduleAgent: 'CLIENT' }, 0],
    ['SCHEDULE-AGENT=X-ELSEWHERE', { scheduleAgent: '' }, 1], // '' is RFC 6638's default SERVER
  ] as const)('When an ATTENDEE has %s, then it reads %j', (param, expected, warningCount) => {
    const { event, warnings } = parseOne(`ATTENDEE;${param}:mailto:a@example.org`);

    expect(event.attendees[0]).toMatchObject(expected);
    expect(warnings.filter((w) => w.startsWith('PARTY_PARAM_UNKNOWN: '))).toHaveLength(warningCount);
  });

  test('When ORGANIZER has an unknown SCHEDULE-AGENT, then it is dropped with a warning', () => {
    const { event, warnings } = parseOne('ORGANIZER;SCHEDULE-AGENT=BOGUS:mailto:o@example.org');

    expect(event.organizer?.scheduleAgent).toBe('');
    expect(warnings).toEqual(['PARTY_PARAM_UNKNOWN: SCHEDULE-AGENT=BOGUS read as (absent)']);
  });
});
