import { eventsV1 } from '@inviteflow/proto-gen';
import { vcalendar, vevent, party } from '@inviteflow/testing';
import { corpusBytes, TEST_CONTEXT } from '@inviteflow/testing';
import { parseCalendarText } from './calendar-parser';
import { DEFAULT_PARSE_LIMITS, type ParseOutcome } from './parse-outcome';

const STAMP = 'DTSTAMP:20240101T120000Z';

function invitesOf(outcome: ParseOutcome): eventsV1.InviteParsed[] {
  if (outcome.kind !== 'parsed') throw new Error(`expected parsed, got ${outcome.kind}: ${outcome.detail}`);
  return outcome.invites;
}

describe('required properties', () => {
  test('When a VEVENT has no UID, then the calendar is rejected MISSING_UID', () => {
    const calendar = vcalendar('REQUEST', ...vevent(STAMP, 'DTSTART:20240110T090000Z', 'SUMMARY:No UID'));

    const outcome = parseCalendarText(calendar, TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'MISSING_UID' });
  });

  test('When the Exchange 2003 .ics without UID is parsed, then it is rejected MISSING_UID', () => {
    const text = corpusBytes('exchange2003-cdo__request-no-uid-spaced-byday.ics').toString('utf8');

    expect(parseCalendarText(text, TEST_CONTEXT)).toMatchObject({ kind: 'rejected', reasonCode: 'MISSING_UID' });
  });

  test('When a REQUEST VEVENT has no DTSTART, then the calendar is rejected MISSING_DTSTART', () => {
    const calendar = vcalendar('REQUEST', ...vevent('UID:no-start', STAMP, 'SUMMARY:When?'));

    const outcome = parseCalendarText(calendar, TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'MISSING_DTSTART' });
    expect(outcome.kind === 'rejected' && outcome.detail).toContain('no-start');
  });

  test.each(['CANCEL', 'REPLY', 'REFRESH', 'DECLINECOUNTER'])(
    'When a %s VEVENT has no DTSTART, then it is accepted with no start (RFC 5546 §3.2)',
    (method) => {
      // Arrange
      const calendar = vcalendar(method, ...vevent('UID:series-1', STAMP, 'SEQUENCE:3', 'ATTENDEE:mailto:a@example.org'));

      // Act
      const [invite] = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

      // Assert
      expect(invite).toMatchObject({ method, uid: 'series-1' });
      expect(invite!.events[0]).toMatchObject({ sequence: 3, start: undefined, end: undefined });
    },
  );

  test('When SEQUENCE is absent, then it is 0 (RFC 5545 §3.8.7.4)', () => {
    const calendar = vcalendar('REQUEST', ...vevent('UID:a', STAMP, 'DTSTART:20240110T090000Z'));

    const [invite] = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    expect(invite!.events[0]!.sequence).toBe(0);
  });

  test('When DTSTART is an impossible date, then the calendar is rejected INVALID_DATE', () => {
    const calendar = vcalendar('REQUEST', ...vevent('UID:a', STAMP, 'DTSTART:20240230T090000Z'));

    expect(parseCalendarText(calendar, TEST_CONTEXT)).toMatchObject({ kind: 'rejected', reasonCode: 'INVALID_DATE' });
  });

  test('When METHOD is not an iTIP method, then the calendar is rejected UNSUPPORTED_METHOD', () => {
    const calendar = vcalendar('xyz', ...vevent('UID:a', STAMP, 'DTSTART:20240110T090000Z'));

    expect(parseCalendarText(calendar, TEST_CONTEXT)).toMatchObject({ kind: 'rejected', reasonCode: 'UNSUPPORTED_METHOD' });
  });

  test('When the calendar holds no VEVENT, then it is ignored NO_EVENT_COMPONENTS', () => {
    const calendar = vcalendar('REPLY', 'BEGIN:VFREEBUSY', 'UID:fb', 'FREEBUSY:20240110T090000Z/PT1H', 'END:VFREEBUSY');

    expect(parseCalendarText(calendar, TEST_CONTEXT)).toEqual({
      kind: 'ignored',
      reasonCode: 'NO_EVENT_COMPONENTS',
      detail: 'no VEVENT; found VFREEBUSY',
    });
  });
});

describe('grouping by UID', () => {
  test('When a series comes with overrides, then there is one invite with the master first and overrides by instant', () => {
    // Arrange: overrides listed out of order, one RECURRENCE-ID in another zone than DTSTART
    // (sabre/vobject#358): the instant is what identifies the occurrence.
    const calendar = vcalendar(
      'REQUEST',
      ...vevent('UID:s', STAMP, 'RECURRENCE-ID;TZID=America/New_York:20240117T030000', 'DTSTART;TZID=Europe/Oslo:20240117T100000'),
      ...vevent('UID:s', STAMP, 'DTSTART;TZID=Europe/Oslo:20240110T090000', 'RRULE:FREQ=WEEKLY;COUNT=4'),
      ...vevent('UID:s', STAMP, 'RECURRENCE-ID:20240124T080000Z', 'DTSTART:20240124T100000Z'),
    );

    // Act
    const invites = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    // Assert
    expect(invites).toHaveLength(1);
    expect(invites[0]!.events.map((e) => e.recurrenceId)).toEqual(['', '2024-01-17T08:00:00.000Z', '2024-01-24T08:00:00.000Z']);
    expect(invites[0]!.events[0]!.rrule).toEqual(['FREQ=WEEKLY;COUNT=4']);
  });

  test('When one object carries two UIDs, then there are two invites in order of appearance', () => {
    const calendar = vcalendar(
      'REQUEST',
      ...vevent('UID:second-letter-b', STAMP, 'DTSTART:20240110T090000Z'),
      ...vevent('UID:first-letter-a', STAMP, 'DTSTART:20240111T090000Z'),
    );

    const invites = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    expect(invites.map((i) => i.uid)).toEqual(['second-letter-b', 'first-letter-a']);
  });

  test('When the same RECURRENCE-ID appears twice, then the first is kept and a warning says so', () => {
    const calendar = vcalendar(
      'REQUEST',
      ...vevent('UID:s', STAMP, 'RECURRENCE-ID:20240117T080000Z', 'DTSTART:20240117T090000Z', 'SUMMARY:first'),
      ...vevent('UID:s', STAMP, 'RECURRENCE-ID:20240117T080000Z', 'DTSTART:20240117T100000Z', 'SUMMARY:second'),
    );

    const [invite] = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    expect(invite!.events.map((e) => e.summary)).toEqual(['first']);
    expect(invite!.warnings).toEqual([expect.stringMatching(/^DUPLICATE_INSTANCE_DROPPED: /)]);
  });

  test('When the text holds two objects with the same UID and identical content, then there is one invite and no warning', () => {
    const object = vcalendar('REQUEST', ...vevent('UID:twice', STAMP, 'DTSTART:20240110T090000Z'));

    const invites = invitesOf(parseCalendarText(object + object, TEST_CONTEXT));

    expect(invites).toHaveLength(1);
    expect(invites[0]!.warnings).toEqual([]);
  });
});

describe('the invite record', () => {
  test('When a REQUEST is parsed, then the invite carries the mail id, envelope and every event field', () => {
    // Arrange
    const calendar = vcalendar(
      'REQUEST',
      ...vevent(
        'UID:full-1', 'SEQUENCE:2', STAMP, 'DTSTART:20240110T090000Z', 'DTEND:20240110T093000Z',
        'SUMMARY: Quarterly review ', 'LOCATION:Room 1\\, floor 2', 'DESCRIPTION:Line 1\\nLine 2', 'STATUS:confirmed',
        'ORGANIZER;CN=Marge:MAILTO:Marge@Example.org',
        'ATTENDEE;CN=Homer;PARTSTAT=ACCEPTED;ROLE=OPT-PARTICIPANT;RSVP=TRUE:mailto:homer@example.org',
      ),
    );

    // Act
    const [invite] = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    // Assert
    expect(invite).toEqual({
      mailId: 'mail-1',
      method: 'REQUEST',
      uid: 'full-1',
      events: [eventsV1.CalendarEvent.fromPartial({
        recurrenceId: '', sequence: 2, dtstamp: new Date('2024-01-01T12:00:00Z'),
        start: new Date('2024-01-10T09:00:00Z'), end: new Date('2024-01-10T09:30:00Z'), timeZone: 'UTC', allDay: false,
        summary: 'Quarterly review', location: 'Room 1, floor 2', description: 'Line 1\nLine 2', status: 'CONFIRMED',
        organizer: party({ address: 'marge@example.org', name: 'Marge', partstat: '', role: '', rsvp: false, cutype: '' }),
        attendees: [party({ address: 'homer@example.org', name: 'Homer', partstat: 'ACCEPTED', role: 'OPT-PARTICIPANT', rsvp: true, cutype: 'INDIVIDUAL' })],
        timeZoneSource: 'utc', ianaTimeZone: 'UTC', transparency: 'OPAQUE', classification: 'PUBLIC',
      })],
      mail: eventsV1.MailContext.fromPartial({ envelopeFrom: 'sender@example.net', envelopeTo: ['homer@example.org'] }),
      warnings: [],
    });
  });

  test('When an invite is encoded as invite.parsed.v1 and decoded, then nothing is lost', () => {
    const calendar = vcalendar('REQUEST', ...vevent('UID:wire', STAMP, 'DTSTART;TZID=Europe/Oslo:20240110T090000', 'DURATION:PT45M'));
    const [invite] = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    const decoded = eventsV1.InviteParsed.decode(eventsV1.InviteParsed.encode(invite!).finish());

    expect(decoded).toEqual(invite);
  });
});

describe('limits', () => {
  test('When there are more VEVENTs than allowed, then the calendar is rejected TOO_LARGE', () => {
    const events = [1, 2, 3].flatMap((n) => vevent(`UID:e${n}`, STAMP, 'DTSTART:20240110T090000Z'));

    const outcome = parseCalendarText(vcalendar('PUBLISH', ...events), TEST_CONTEXT, { ...DEFAULT_PARSE_LIMITS, maxEvents: 2 });

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'TOO_LARGE' });
  });

  test('When the text is larger than allowed, then it is rejected TOO_LARGE before parsing', () => {
    const calendar = vcalendar('REQUEST', ...vevent('UID:a', STAMP, 'DTSTART:20240110T090000Z', `DESCRIPTION:${'x'.repeat(2000)}`));

    const outcome = parseCalendarText(calendar, TEST_CONTEXT, { ...DEFAULT_PARSE_LIMITS, maxCalendarBytes: 1000 });

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'TOO_LARGE' });
  });
});
