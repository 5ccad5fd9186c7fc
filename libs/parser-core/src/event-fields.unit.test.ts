import { eventsV1 } from '@inviteflow/proto-gen';
import { multipartMail, calendarPart, TEXT_PART, vcalendar, vevent } from '@inviteflow/testing';
import { TEST_CONTEXT } from '@inviteflow/testing';
import { parseCalendarText } from './calendar-parser';
import { parseMail } from './parse-mail';
import type { ParseOutcome } from './parse-outcome';

// The normalised message beyond times and parties (issue 4, point 3): recurrence sets, the
// RECURRENCE-ID as written, SEQUENCE sanity, COMMENT, the join link and Outlook's flags.
const STAMP = 'DTSTAMP:20240101T000000Z';

function only(outcome: ParseOutcome): { event: eventsV1.CalendarEvent; warnings: string[]; invite: eventsV1.InviteParsed } {
  if (outcome.kind !== 'parsed') throw new Error(`${outcome.reasonCode}: ${outcome.detail}`);
  const invite = outcome.invites[0]!;
  return { event: invite.events[0]!, warnings: invite.warnings, invite };
}

function parseOne(method: string, ...lines: string[]): { event: eventsV1.CalendarEvent; warnings: string[] } {
  return only(parseCalendarText(vcalendar(method, ...vevent('UID:f', STAMP, ...lines)), TEST_CONTEXT));
}

function codes(warnings: string[]): string[] {
  return warnings.map((w) => w.split(':')[0]!);
}

describe('recurrence sets (RFC 5545 §3.8.5)', () => {
  test('When EXDATEs are written in another zone than DTSTART, then they become UTC instants comparable with occurrences', () => {
    const { event } = parseOne(
      'REQUEST', 'DTSTART;TZID=Europe/Berlin:20240105T100000', 'RRULE:FREQ=WEEKLY;COUNT=10',
      'EXDATE;TZID=America/New_York:20240112T040000,20240119T040000', 'EXDATE:20240126T090000Z',
    );

    expect(event.exdate).toEqual(['2024-01-12T09:00:00.000Z', '2024-01-19T09:00:00.000Z', '2024-01-26T09:00:00.000Z']);
  });

  test('When RDATEs are dates, date-times and periods, then each is kept, a PERIOD as start/end with its DURATION applied', () => {
    const { event } = parseOne(
      'REQUEST', 'DTSTART:20240105T100000Z',
      'RDATE;VALUE=PERIOD:20240110T100000Z/20240110T120000Z,20240111T100000Z/PT90M', 'RDATE;VALUE=DATE:20240120',
    );

    expect(event.rdate).toEqual([
      '2024-01-10T10:00:00.000Z/2024-01-10T12:00:00.000Z',
      '2024-01-11T10:00:00.000Z/2024-01-11T11:30:00.000Z',
      '2024-01-20T00:00:00.000Z',
    ]);
  });

  test('When an EXDATE value is an impossible date, then only it is dropped, with a warning', () => {
    const { event, warnings } = parseOne('REQUEST', 'DTSTART:20240105T100000Z', 'EXDATE:20240230T100000Z,20240112T100000Z');

    expect(event.exdate).toEqual(['2024-01-12T10:00:00.000Z']);
    expect(codes(warnings)).toContain('RECURRENCE_DATE_INVALID');
  });

  test('When an EXRULE is present, then it is kept as written and test-read like an RRULE', () => {
    const { event, warnings } = parseOne('REQUEST', 'DTSTART:20240105T100000Z', 'RRULE:FREQ=DAILY;COUNT=10', 'EXRULE:FREQ=WEEKLY;BYDAY=SA,SU', 'EXRULE:FREQ=NEVERLY');

    expect(event.exrule).toEqual(['FREQ=WEEKLY;BYDAY=SA,SU', 'FREQ=NEVERLY']);
    expect(warnings.filter((w) => w.startsWith('RRULE_NOT_VALIDATED'))).toEqual([expect.stringContaining('EXRULE FREQ=NEVERLY')]);
  });

  test('When an all-day series has an EXDATE at local midnight in a zone (Exchange), then it is read as that date', () => {
    const { event } = parseOne('REQUEST', 'DTSTART;VALUE=DATE:20240105', 'RRULE:FREQ=WEEKLY', 'EXDATE;TZID=Europe/Berlin:20240112T000000');

    expect(event.exdate).toEqual(['2024-01-12T00:00:00.000Z']);
  });
});

describe('RECURRENCE-ID as written', () => {
  test('When an override names its instance with a TZID and RANGE=THISANDFUTURE, then the original form and the range are kept', () => {
    const { event, warnings } = parseOne('REQUEST', 'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20240112T100000', 'DTSTART;TZID=Europe/Berlin:20240112T110000');

    expect(event).toMatchObject({
      recurrenceId: '2024-01-12T09:00:00.000Z',
      recurrenceIdOriginal: { value: '20240112T100000', tzid: 'Europe/Berlin' },
      recurrenceIdRange: 'THISANDFUTURE',
    });
    expect(codes(warnings)).toContain('RECURRENCE_ID_RANGE');
  });

  test('When the master has no RECURRENCE-ID, then there is no original form either', () => {
    expect(parseOne('REQUEST', 'DTSTART:20240112T100000Z').event).toMatchObject({ recurrenceId: '', recurrenceIdOriginal: undefined, recurrenceIdRange: '' });
  });
});

describe('SEQUENCE (RFC 5545 §3.8.7.4)', () => {
  test.each([
    ['a plausible number', '7', { sequence: 7, sequenceAbsurd: false, sequenceOriginal: '' }, []],
    ['over a million', '1700000000', { sequence: 1700000000, sequenceAbsurd: true, sequenceOriginal: '1700000000' }, ['SEQUENCE_ABSURD']],
    ['over int32', '99999999999', { sequence: 2147483647, sequenceAbsurd: true, sequenceOriginal: '99999999999' }, ['SEQUENCE_ABSURD']],
    ['negative', '-3', { sequence: 0, sequenceAbsurd: true, sequenceOriginal: '-3' }, ['SEQUENCE_INVALID']],
  ])('When SEQUENCE is %s, then it is kept or defaulted and flagged as needed', (_name, value, expected, expectedCodes) => {
    const { event, warnings } = parseOne('REQUEST', 'DTSTART:20240112T100000Z', `SEQUENCE:${value}`);

    expect(event).toMatchObject(expected);
    expect(codes(warnings).filter((c) => c.startsWith('SEQUENCE'))).toEqual(expectedCodes);
  });
});

describe('COMMENT, join links and Outlook flags', () => {
  test('When COMMENT occurs twice, then both are kept in order', () => {
    expect(parseOne('REQUEST', 'DTSTART:20240112T100000Z', 'COMMENT:First', 'COMMENT:Second\\, with comma').event.comment).toEqual(['First', 'Second, with comma']);
  });

  test.each([
    ['Teams property', ['X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/meetup-join/19%3ameeting_x/0'], 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x/0', 'teams'],
    ['RFC 7986 CONFERENCE, VIDEO preferred', ['CONFERENCE;VALUE=URI;FEATURE=PHONE:https://dial.example/1', 'CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://video.example/room'], 'https://video.example/room', 'conference'],
    ['Zoom link in DESCRIPTION', ['DESCRIPTION:Join: https://us02web.zoom.us/j/123456789?pwd=abc.\\nThanks'], 'https://us02web.zoom.us/j/123456789?pwd=abc', 'zoom'],
    ['Google Meet link in LOCATION', ['LOCATION:https://meet.google.com/abc-defg-hij'], 'https://meet.google.com/abc-defg-hij', 'google-meet'],
    ['Teams link only in DESCRIPTION', ['DESCRIPTION:<https://teams.microsoft.com/l/meetup-join/abc>'], 'https://teams.microsoft.com/l/meetup-join/abc', 'teams'],
    ['an unknown link only', ['DESCRIPTION:see https://example.com/agenda'], '', ''],
  ])('When the join link comes from the %s, then it is found with its provider', (_name, lines, url, provider) => {
    const { event } = parseOne('REQUEST', 'DTSTART:20240112T100000Z', ...lines);

    expect(event).toMatchObject({ onlineMeetingUrl: url, onlineMeetingProvider: provider });
  });

  test('When Outlook flags are present, then busy status, intended status and all-day flag are kept', () => {
    const { event, warnings } = parseOne(
      'REQUEST', 'DTSTART;VALUE=DATE:20240112', 'X-MICROSOFT-CDO-BUSYSTATUS:oof', 'X-MICROSOFT-CDO-INTENDEDSTATUS:FREE', 'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE',
    );

    expect(event).toMatchObject({ busyStatus: 'OOF', intendedStatus: 'FREE', outlookAllDay: 'TRUE', allDay: true });
    expect(warnings).toEqual([]);
  });

  test('When X-MICROSOFT-CDO-ALLDAYEVENT contradicts DTSTART, then DTSTART wins and a warning says so', () => {
    const { event, warnings } = parseOne('REQUEST', 'DTSTART;VALUE=DATE:20240112', 'X-MICROSOFT-CDO-ALLDAYEVENT:FALSE');

    expect(event).toMatchObject({ allDay: true, outlookAllDay: 'FALSE' });
    expect(codes(warnings)).toEqual(['OUTLOOK_ALL_DAY_MISMATCH']);
  });

  test('When DTSTART is floating, then the floating flag is set', () => {
    expect(parseOne('REQUEST', 'DTSTART:20240112T100000').event).toMatchObject({ floating: true, timeZoneSource: 'floating' });
  });
});

describe('the mail context', () => {
  test('When a mail has From, Sender, To, Cc, Date and Message-ID, then all are recorded beside the envelope', async () => {
    // Arrange
    const raw = multipartMail([TEXT_PART, calendarPart(vcalendar('REQUEST', ...vevent('UID:m', STAMP, 'DTSTART:20240112T100000Z')))], {
      headers: {
        From: 'Marge <Marge@Example.org>',
        Sender: 'assistant@example.org',
        To: 'Homer <homer@example.org>, Team: bart@example.org, lisa@example.org;',
        Cc: 'ned@example.org',
        Date: 'Tue, 09 Jan 2024 08:00:00 +0100',
      },
    });

    // Act
    const { invite } = only(await parseMail(raw, TEST_CONTEXT));

    // Assert
    expect(invite.mail).toEqual({
      envelopeFrom: 'sender@example.net', envelopeTo: ['homer@example.org'],
      from: 'marge@example.org', sender: 'assistant@example.org',
      to: ['homer@example.org', 'bart@example.org', 'lisa@example.org'], cc: ['ned@example.org'],
      messageId: '<test-1@example.net>', subject: 'Invitation', date: new Date('2024-01-09T07:00:00Z'),
    });
  });
});
