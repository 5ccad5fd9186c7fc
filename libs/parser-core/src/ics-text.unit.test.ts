import { ics, vcalendar, vevent } from '@inviteflow/testing';
import { TEST_CONTEXT } from '@inviteflow/testing';
import { parseCalendarText } from './calendar-parser';
import type { ParseOutcome } from './parse-outcome';

const EVENT = vevent('UID:t', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240110T090000Z');

function warningCodes(outcome: ParseOutcome): string[] {
  if (outcome.kind !== 'parsed') throw new Error(`${outcome.reasonCode}: ${outcome.detail}`);
  return outcome.invites.flatMap((invite) => invite.warnings.map((w) => w.split(':')[0]!));
}

describe('tolerating damaged iCalendar text', () => {
  test('When lines end in LF only and blank lines sit inside the VEVENT, then the object parses without warnings', () => {
    const text = ['BEGIN:VCALENDAR', 'METHOD:REQUEST', 'BEGIN:VEVENT', 'UID:t', '', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240110T090000Z', 'END:VEVENT', 'END:VCALENDAR'].join('\n');

    expect(warningCodes(parseCalendarText(text, TEST_CONTEXT))).toEqual([]);
  });

  test('When lines are folded with a tab, then they are unfolded (RFC 5545 §3.1)', () => {
    const text = vcalendar('REQUEST', ...vevent('UID:t', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240110T090000Z', 'SUMMARY:Long', '\tsummary'));

    const outcome = parseCalendarText(text, TEST_CONTEXT);

    expect(outcome.kind === 'parsed' && outcome.invites[0]!.events[0]!.summary).toBe('Longsummary');
  });

  test('When text follows END:VCALENDAR (Podio), then it is dropped with a warning', () => {
    const text = vcalendar('REQUEST', ...EVENT) + 'X-COMMENT:trailing garbage\r\n';

    expect(warningCodes(parseCalendarText(text, TEST_CONTEXT))).toEqual(['STRAY_CONTENT_DROPPED']);
  });

  test('When an ORGANIZER line is malformed (Zimbra), then only that line is dropped, with a warning', () => {
    const text = vcalendar('CANCEL', ...vevent('UID:t', 'DTSTAMP:20240101T000000Z', 'ORGANIZER;mailto:them@example.org', 'ATTENDEE:mailto:us@example.org'));

    const outcome = parseCalendarText(text, TEST_CONTEXT);

    expect(warningCodes(outcome)).toEqual(['INVALID_LINE_DROPPED']);
    expect(outcome.kind === 'parsed' && outcome.invites[0]!.events[0]!.attendees.map((a) => a.address)).toEqual(['us@example.org']);
  });

  test('When an RRULE uses RFC 7529 RSCALE, then it is passed on exactly as written', () => {
    // ical.js would silently drop RSCALE and SKIP and turn BYMONTH=5L into 5.
    const rule = 'RSCALE=HEBREW;FREQ=YEARLY;BYMONTH=5L;BYMONTHDAY=8;SKIP=FORWARD';
    const text = vcalendar('REQUEST', ...vevent('UID:t', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240110T090000Z', `RRULE:${rule}`));

    const outcome = parseCalendarText(text, TEST_CONTEXT);

    expect(outcome.kind === 'parsed' && outcome.invites[0]!.events[0]!.rrule).toEqual([rule]);
  });

  test('When an RRULE cannot be read (Exchange 2003 "BYDAY=MO, TU"), then it is passed on verbatim with a warning', () => {
    const text = vcalendar('REQUEST', ...vevent('UID:t', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240110T090000Z', 'RRULE:FREQ=WEEKLY;BYDAY=MO, TU'));

    const outcome = parseCalendarText(text, TEST_CONTEXT);

    expect(outcome.kind === 'parsed' && outcome.invites[0]!.events[0]!.rrule).toEqual(['FREQ=WEEKLY;BYDAY=MO, TU']);
    expect(warningCodes(outcome)).toEqual(['RRULE_NOT_VALIDATED']);
  });

  test('When an RRULE is folded, then it is unfolded before being passed on', () => {
    const text = vcalendar('REQUEST', ...vevent('UID:t', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240110T090000Z', 'RRULE:FREQ=WEEKLY;BYDAY=MO,', ' TU'));

    const outcome = parseCalendarText(text, TEST_CONTEXT);

    expect(outcome.kind === 'parsed' && outcome.invites[0]!.events[0]!.rrule).toEqual(['FREQ=WEEKLY;BYDAY=MO,TU']);
  });

  test('When a DTSTART line is malformed, then the object is rejected MALFORMED_ICALENDAR rather than guessed', () => {
    const text = vcalendar('REQUEST', ...vevent('UID:t', 'DTSTAMP:20240101T000000Z', 'DTSTART;TZID=Europe/Oslo;X="a:20200609T090000'));

    const outcome = parseCalendarText(text, TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'MALFORMED_ICALENDAR', detail: expect.stringContaining('DTSTART') });
  });

  test('When a quote swallows the value (Exchange), then the line is repaired unambiguously and says so', () => {
    const text = vcalendar('REQUEST', ...vevent('UID:t', 'DTSTAMP:20240101T000000Z', 'DTSTART;TZID="Europe/Oslo:20200609T090000"'));

    const outcome = parseCalendarText(text, TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'parsed', invites: [{ events: [{ start: new Date('2020-06-09T07:00:00Z'), timeZone: 'Europe/Oslo' }] }] });
    expect(outcome.kind === 'parsed' && outcome.invites[0]!.warnings).toEqual([expect.stringMatching(/^LINE_REPAIRED: /)]);
  });

  test.each([
    ['there is no BEGIN:VCALENDAR', 'hello'],
    ['a component is never closed', ics('BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:t')],
  ])('When %s, then the text is rejected MALFORMED_ICALENDAR', (_case, text) => {
    expect(parseCalendarText(text, TEST_CONTEXT)).toMatchObject({ kind: 'rejected', reasonCode: 'MALFORMED_ICALENDAR' });
  });
});
