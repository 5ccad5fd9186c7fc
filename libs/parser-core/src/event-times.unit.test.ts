import { eventsV1 } from '@inviteflow/proto-gen';
import { vcalendar, vevent } from '@inviteflow/testing';
import { TEST_CONTEXT } from '@inviteflow/testing';
import { parseCalendarText } from './calendar-parser';

// Outlook's definition of Oslo's rules, to check that an embedded VTIMEZONE is used.
const W_EUROPE = [
  'BEGIN:VTIMEZONE', 'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD', 'DTSTART:16010101T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10', 'END:STANDARD',
  'BEGIN:DAYLIGHT', 'DTSTART:16010101T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3', 'END:DAYLIGHT',
  'END:VTIMEZONE',
];

/** The only event of the only invite of a one-VEVENT REQUEST, with the invite's warnings. */
function parseOne(...lines: string[]): { event: eventsV1.CalendarEvent; warnings: string[] } {
  const [zones, props] = lines[0] === 'BEGIN:VTIMEZONE' ? [W_EUROPE, lines.slice(W_EUROPE.length)] : [[], lines];
  const outcome = parseCalendarText(vcalendar('REQUEST', ...zones, ...vevent('UID:t', 'DTSTAMP:20240101T000000Z', ...props)), TEST_CONTEXT);
  if (outcome.kind !== 'parsed') throw new Error(`${outcome.reasonCode}: ${outcome.detail}`);
  const invite = outcome.invites[0]!;
  return { event: invite.events[0]!, warnings: invite.warnings };
}

function codes(warnings: string[]): string[] {
  return warnings.map((w) => w.split(':')[0]!);
}

describe('across a daylight-saving change (Europe/Oslo)', () => {
  test.each([
    ['an IANA TZID without VTIMEZONE', [], 'Europe/Oslo'],
    ['Outlook\'s VTIMEZONE', W_EUROPE, 'W. Europe Standard Time'],
  ])('When a night meeting spans the October change (%s), then start and end are CEST and CET instants', (_case, zones, tzid) => {
    // Arrange: 22:00 Saturday 26 Oct 2024 (CEST, +02:00) to 04:00 Sunday (CET, +01:00): 7 hours.
    const lines = [...zones, `DTSTART;TZID=${tzid}:20241026T220000`, `DTEND;TZID=${tzid}:20241027T040000`];

    // Act
    const { event, warnings } = parseOne(...lines);

    // Assert
    expect(event.start?.toISOString()).toBe('2024-10-26T20:00:00.000Z');
    expect(event.end?.toISOString()).toBe('2024-10-27T03:00:00.000Z');
    expect(event.timeZone).toBe(tzid);
    expect(warnings).toEqual([]);
  });

  test('When a meeting lasts P1D across the March change, then it ends at the same wall time, 23 hours later (RFC 5545 §3.3.6)', () => {
    const { event } = parseOne('DTSTART;TZID=Europe/Oslo:20240330T100000', 'DURATION:P1D');

    expect(event.start?.toISOString()).toBe('2024-03-30T09:00:00.000Z');
    expect(event.end?.toISOString()).toBe('2024-03-31T08:00:00.000Z');
  });

  test('When a meeting lasts PT24H across the March change, then it ends exactly 24 hours later', () => {
    const { event } = parseOne('DTSTART;TZID=Europe/Oslo:20240330T100000', 'DURATION:PT24H');

    expect(event.end?.toISOString()).toBe('2024-03-31T09:00:00.000Z');
  });
});

describe('start, end and zone', () => {
  test('When DTSTART is a DATE with no end, then the event is all day and lasts one day (RFC 5545 §3.6.1)', () => {
    const { event } = parseOne('DTSTART;VALUE=DATE:20240229');

    expect(event).toMatchObject({ allDay: true, timeZone: '', start: new Date('2024-02-29T00:00:00Z'), end: new Date('2024-03-01T00:00:00Z') });
  });

  test('When DTSTART is a DATE-TIME with no end, then the event ends when it starts (RFC 5545 §3.6.1)', () => {
    const { event } = parseOne('DTSTART:20240110T090000Z');

    expect(event.end).toEqual(event.start);
  });

  test('When DTSTART is a date without VALUE=DATE, then it is read as all day with a warning', () => {
    const { event, warnings } = parseOne('DTSTART:20240110');

    expect(event).toMatchObject({ allDay: true, start: new Date('2024-01-10T00:00:00Z') });
    expect(codes(warnings)).toEqual(['DATE_WITHOUT_VALUE_DATE']);
  });

  test('When DTEND is before DTSTART, then the end is the start and a warning says so', () => {
    const { event, warnings } = parseOne('DTSTART:20240110T090000Z', 'DTEND:20240110T080000Z');

    expect(event.end).toEqual(event.start);
    expect(codes(warnings)).toEqual(['END_INVALID']);
  });

  test('When both DTEND and DURATION are present, then DTEND is used and a warning says so', () => {
    const { event, warnings } = parseOne('DTSTART:20240110T090000Z', 'DTEND:20240110T100000Z', 'DURATION:PT15M');

    expect(event.end?.toISOString()).toBe('2024-01-10T10:00:00.000Z');
    expect(codes(warnings)).toEqual(['DTEND_AND_DURATION']);
  });

  test('When a time is floating, then it is read as UTC with a warning', () => {
    const { event, warnings } = parseOne('DTSTART:20240110T090000');

    expect(event).toMatchObject({ timeZone: '', start: new Date('2024-01-10T09:00:00Z') });
    expect(codes(warnings)).toContain('FLOATING_TIME');
  });

  test('When a TZID has no VTIMEZONE and is neither an IANA nor a Windows name, then the time is floating, flagged with the TZID', () => {
    const { event, warnings } = parseOne('DTSTART;TZID=Customized Time Zone:20240110T090000', 'DTEND;TZID=Customized Time Zone:20240110T100000');

    // The wall time travels as if UTC, for the scheduling agent to place in the recipient's zone.
    expect(event).toMatchObject({
      timeZone: 'Customized Time Zone', start: new Date('2024-01-10T09:00:00Z'), end: new Date('2024-01-10T10:00:00Z'),
      timeZoneSource: 'unresolved', floating: true, floatingReason: 'TZID_UNKNOWN',
    });
    expect(codes(warnings)).toEqual(['TZID_UNKNOWN']);
  });

  test('When a time has neither Z nor TZID, then it is floating with the reason NO_TZID', () => {
    const { event } = parseOne('DTSTART:20240110T090000');

    expect(event).toMatchObject({ floating: true, floatingReason: 'NO_TZID', timeZoneSource: 'floating' });
  });

  test('When a TZID resolves, then the time is not floating', () => {
    const { event } = parseOne('DTSTART;TZID=Europe/Berlin:20240110T090000');

    expect(event).toMatchObject({ floating: false, floatingReason: '' });
  });

  test('When the VTIMEZONE disagrees with the IANA zone of the same name, then the VTIMEZONE wins', () => {
    // Arrange: a sender-defined "Europe/Oslo" fixed at +05:00.
    const zone = ['BEGIN:VTIMEZONE', 'TZID:Europe/Oslo', 'BEGIN:STANDARD', 'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0500', 'TZOFFSETTO:+0500', 'END:STANDARD', 'END:VTIMEZONE'];
    const calendar = vcalendar('REQUEST', ...zone, ...vevent('UID:t', 'DTSTAMP:20240101T000000Z', 'DTSTART;TZID=Europe/Oslo:20240110T090000'));

    // Act
    const outcome = parseCalendarText(calendar, TEST_CONTEXT);

    // Assert
    expect(outcome.kind === 'parsed' && outcome.invites[0]!.events[0]!.start?.toISOString()).toBe('2024-01-10T04:00:00.000Z');
  });

  test('When TZID is quoted and escaped differently from its VTIMEZONE, then they still match', () => {
    const { event, warnings } = parseOne(...W_EUROPE, 'DTSTART;TZID="W. Europe Standard Time":20240710T090000');

    expect(event.start?.toISOString()).toBe('2024-07-10T07:00:00.000Z');
    expect(warnings).toEqual([]);
  });
});

describe('RECURRENCE-ID and DTSTAMP', () => {
  test('When an all-day instance has a local-midnight RECURRENCE-ID (Exchange), then it is read as that date', () => {
    const { event, warnings } = parseOne(...W_EUROPE, 'RECURRENCE-ID;TZID=W. Europe Standard Time:20260226T000000', 'DTSTART;VALUE=DATE:20260227');

    expect(event.recurrenceId).toBe('2026-02-26T00:00:00.000Z');
    expect(codes(warnings)).toEqual(['RECURRENCE_ID_AS_DATE']);
  });

  test('When RECURRENCE-ID cannot be read, then the calendar is rejected INVALID_DATE', () => {
    const calendar = vcalendar('CANCEL', ...vevent('UID:t', 'DTSTAMP:20240101T000000Z', 'RECURRENCE-ID:2024011'));

    expect(parseCalendarText(calendar, TEST_CONTEXT)).toMatchObject({ kind: 'rejected', reasonCode: 'INVALID_DATE' });
  });

  test('When DTSTAMP is missing, then it is undefined and a warning says so', () => {
    const calendar = vcalendar('REQUEST', ...vevent('UID:t', 'DTSTART:20240110T090000Z'));

    const outcome = parseCalendarText(calendar, TEST_CONTEXT);

    expect(outcome.kind === 'parsed' && outcome.invites[0]!.events[0]!.dtstamp).toBeUndefined();
    expect(outcome.kind === 'parsed' && codes(outcome.invites[0]!.warnings)).toEqual(['DTSTAMP_INVALID']);
  });
});

describe('Windows zone names without a VTIMEZONE (CLDR windowsZones via windows-iana)', () => {
  // FLE Standard Time (Helsinki, Kyiv, Riga…): EET +02:00, EEST +03:00 from 31 March 2024 01:00Z
  // to 27 October 2024 01:00Z. Pacific Standard Time: PST -08:00, PDT -07:00 from 10 March 2024.
  test.each([
    ['FLE Standard Time', 'the day before the spring change (EET)', '20240330T090000', '2024-03-30T07:00:00.000Z'],
    ['FLE Standard Time', 'the day after the spring change (EEST)', '20240331T090000', '2024-03-31T06:00:00.000Z'],
    ['FLE Standard Time', 'the day before the autumn change (EEST)', '20241026T090000', '2024-10-26T06:00:00.000Z'],
    ['FLE Standard Time', 'the day after the autumn change (EET)', '20241027T090000', '2024-10-27T07:00:00.000Z'],
    ['Pacific Standard Time', 'the day before the spring change (PST)', '20240309T090000', '2024-03-09T17:00:00.000Z'],
    ['Pacific Standard Time', 'the day after the spring change (PDT)', '20240310T090000', '2024-03-10T16:00:00.000Z'],
    ['W. Europe Standard Time', 'a winter morning (CET)', '20240115T090000', '2024-01-15T08:00:00.000Z'],
    ['w. europe standard time', 'a summer morning, name in lowercase (CEST)', '20240715T090000', '2024-07-15T07:00:00.000Z'],
  ])('When TZID=%s is used on %s, then the instant is right', (tzid, _when, local, expected) => {
    const { event, warnings } = parseOne(`DTSTART;TZID=${tzid}:${local}`);

    expect(event.start).toEqual(new Date(expected));
    expect(event).toMatchObject({ timeZone: tzid, timeZoneSource: 'windows' });
    expect(codes(warnings)).toEqual(['TZID_WINDOWS_MAPPED']);
  });

  test('When the TZID is a Windows display name, then it is read as the Windows zone it names (CLDR territory 001)', () => {
    const { event, warnings } = parseOne('DTSTART;TZID="(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna":20240715T090000');

    expect(event).toMatchObject({ start: new Date('2024-07-15T07:00:00.000Z'), ianaTimeZone: 'Europe/Berlin', timeZoneSource: 'windows', floating: false });
    expect(warnings).toEqual([expect.stringMatching(/^TZID_WINDOWS_MAPPED: .*read as Europe\/Berlin \(display name/)]);
  });

  test('When a display name the table does not know names a city, then the city names the zone, checked against the stated offset', () => {
    const { event } = parseOne('DTSTART;TZID="(UTC+01:00) Oslo":20240715T090000');

    expect(event).toMatchObject({ start: new Date('2024-07-15T07:00:00.000Z'), ianaTimeZone: 'Europe/Oslo', timeZoneSource: 'windows' });
  });

  test('When a display name states an offset its cities do not have, then it is not trusted and the time is floating', () => {
    const { event, warnings } = parseOne('DTSTART;TZID="(UTC+05:00) Amsterdam":20240715T090000');

    expect(event).toMatchObject({ start: new Date('2024-07-15T09:00:00.000Z'), timeZoneSource: 'unresolved', floating: true, floatingReason: 'TZID_UNKNOWN' });
    expect(codes(warnings)).toEqual(['TZID_UNKNOWN']);
  });

  test('When an old Exchange offset name has no VTIMEZONE, then it is read as the zone of its offset pair', () => {
    const { event } = parseOne('DTSTART;TZID="GMT +0100 (Standard) / GMT +0200 (Daylight)":20240715T090000');

    expect(event).toMatchObject({ start: new Date('2024-07-15T07:00:00.000Z'), ianaTimeZone: 'Europe/Berlin', timeZoneSource: 'windows' });
  });

  test('When a Windows name has its VTIMEZONE, then the VTIMEZONE rules are used and the IANA zone is only reported', () => {
    const { event, warnings } = parseOne(...W_EUROPE, 'DTSTART;TZID=W. Europe Standard Time:20240331T090000');

    expect(event).toMatchObject({ start: new Date('2024-03-31T07:00:00.000Z'), timeZoneSource: 'vtimezone', ianaTimeZone: 'Europe/Berlin' });
    expect(warnings).toEqual([]);
  });
});

describe('DTSTART and DTEND of different kinds (RFC 5545 §3.8.2.2)', () => {
  test.each([
    ['floating start, zoned end', 'DTSTART:20250310T090000', 'DTEND;TZID=Europe/Oslo:20250310T100000', '2025-03-10T10:00:00.000Z', 'read as floating'],
    ['zoned start, floating end', 'DTSTART;TZID=Europe/Oslo:20250310T090000', 'DTEND:20250310T100000', '2025-03-10T09:00:00.000Z', 'read in Europe/Oslo'],
    ['UTC start, floating end', 'DTSTART:20250310T090000Z', 'DTEND:20250310T100000', '2025-03-10T10:00:00.000Z', 'read in UTC'],
    ['unresolvable TZID start, UTC end', 'DTSTART;TZID=Customized Time Zone:20250310T090000', 'DTEND:20250310T100000Z', '2025-03-10T10:00:00.000Z', 'read as floating'],
  ])('When the event has a %s, then the end takes the start\'s frame, with a warning', (_case, dtstart, dtend, end, how) => {
    const { event, warnings } = parseOne(dtstart, dtend);

    expect(event.end?.toISOString()).toBe(end);
    expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`^DTEND_FRAME_MISMATCH: .*${how}$`)));
    expect(codes(warnings)).not.toContain('END_INVALID');
  });

  test('When a zoned DTEND is read as floating, then its own zone warnings are not reported', () => {
    const { warnings } = parseOne('DTSTART:20250310T090000', 'DTEND;TZID=W. Europe Standard Time:20250310T100000');

    expect(codes(warnings)).toEqual(['FLOATING_TIME', 'DTEND_FRAME_MISMATCH']);
  });

  test('When the end read in the start\'s frame is before the start, then it is dropped for the RFC 5545 §3.6.1 default', () => {
    // 09:00 Oslo is 08:00Z; a floating 08:30 read in Oslo is before it (as UTC it would be after).
    const { event, warnings } = parseOne('DTSTART;TZID=Europe/Oslo:20250310T090000', 'DTEND:20250310T083000');

    expect(event.end).toEqual(event.start);
    expect(codes(warnings)).toEqual(['DTEND_FRAME_MISMATCH', 'END_INVALID']);
  });

  test('When both are fixed (a zoned start and a UTC end), then nothing is reinterpreted', () => {
    const { event, warnings } = parseOne('DTSTART;TZID=Europe/Oslo:20250310T090000', 'DTEND:20250310T090000Z');

    expect(event.end?.toISOString()).toBe('2025-03-10T09:00:00.000Z');
    expect(codes(warnings)).toEqual([]);
  });
});
