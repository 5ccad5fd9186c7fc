// Salvage, don't discard (issue 13, point 1): an unusable VEVENT, VCALENDAR or part costs only
// itself; only a message with nothing usable left is rejected, with today's reason codes.
import { eventsV1 } from '@inviteflow/proto-gen';
import { TEST_CONTEXT, vcalendar, vevent } from '@inviteflow/testing';
import { parseCalendarSources, parseCalendarText } from './calendar-parser';
import { DEFAULT_PARSE_LIMITS, type ParseOutcome } from './parse-outcome';

const STAMP = 'DTSTAMP:20250110T120000Z';
const ENVELOPE = { mailId: 'mail-1', mail: eventsV1.MailContext.fromPartial({ envelopeTo: ['homer@example.org'] }) };

function invitesOf(outcome: ParseOutcome): eventsV1.InviteParsed[] {
  if (outcome.kind !== 'parsed') throw new Error(`expected parsed, got ${outcome.kind}: ${outcome.detail}`);
  return outcome.invites;
}

const codes = (invite: eventsV1.InviteParsed | undefined): string[] => (invite?.warnings ?? []).map((w) => w.split(':')[0]!);

describe('salvaging the usable VEVENTs of a calendar', () => {
  test.each([
    ['an impossible DTSTART (30 February)', ['DTSTART:20250230T090000Z'], 'INVALID_DATE'],
    ['no DTSTART in a REQUEST', [], 'MISSING_DTSTART'],
    ['an RRULE whose FREQ is not a frequency', ['DTSTART:20250401T080000Z', 'RRULE:FREQ=SOMETIMES;COUNT=5'], 'MALFORMED_ICALENDAR'],
    ['an RRULE without FREQ', ['DTSTART:20250401T080000Z', 'RRULE:INTERVAL=2;COUNT=5'], 'MALFORMED_ICALENDAR'],
    ['an impossible RECURRENCE-ID', ['RECURRENCE-ID:20250431T090000Z', 'DTSTART:20250430T090000Z'], 'INVALID_DATE'],
  ])('When one VEVENT has %s next to a good one, then the good one is parsed and the bad one is named in a warning', (_what, lines, reasonCode) => {
    // Arrange
    const calendar = vcalendar('REQUEST', ...vevent('UID:bad', STAMP, ...lines), ...vevent('UID:good', STAMP, 'DTSTART:20250312T150000Z'));

    // Act
    const invites = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    // Assert
    expect(invites.map((i) => i.uid)).toEqual(['good']);
    expect(invites[0]!.warnings).toEqual([expect.stringMatching(new RegExp(`^COMPONENT_DROPPED: VEVENT 1 of calendar text dropped, ${reasonCode}: .*\\(UID bad`))]);
  });

  test('When a VEVENT has no UID next to a good one, then the good one is parsed and the warning says MISSING_UID', () => {
    const calendar = vcalendar('REQUEST', ...vevent(STAMP, 'DTSTART:20250610T090000Z'), ...vevent('UID:good', STAMP, 'DTSTART:20250611T090000Z'));

    const [invite] = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    expect(invite!.uid).toBe('good');
    expect(invite!.warnings).toEqual(['COMPONENT_DROPPED: VEVENT 1 of calendar text dropped, MISSING_UID: a REQUEST VEVENT has no UID']);
  });

  test('When an override-only REQUEST has one bad instance of three, then the other two are kept and the warning names its RECURRENCE-ID', () => {
    // Arrange
    const calendar = vcalendar(
      'REQUEST',
      ...vevent('UID:s', STAMP, 'RECURRENCE-ID:20250505T090000Z', 'DTSTART:20250505T100000Z'),
      ...vevent('UID:s', STAMP, 'RECURRENCE-ID:20250512T090000Z', 'DTSTART:20250512T250000Z'),
      ...vevent('UID:s', STAMP, 'RECURRENCE-ID:20250519T090000Z', 'DTSTART:20250519T130000Z'),
    );

    // Act
    const [invite, ...others] = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    // Assert
    expect(others).toEqual([]);
    expect(invite!.events.map((e) => e.recurrenceId)).toEqual(['2025-05-05T09:00:00.000Z', '2025-05-19T09:00:00.000Z']);
    expect(invite!.warnings).toEqual([expect.stringContaining('(UID s, RECURRENCE-ID 20250512T090000Z)')]);
  });

  test('When the master is unusable but its overrides are good, then the overrides travel alone and the master is named', () => {
    const calendar = vcalendar(
      'REQUEST',
      ...vevent('UID:s', STAMP, 'DTSTART:20250230T090000Z', 'RRULE:FREQ=WEEKLY'),
      ...vevent('UID:s', STAMP, 'RECURRENCE-ID:20250310T090000Z', 'DTSTART:20250310T100000Z'),
    );

    const [invite] = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    expect(invite!.events.map((e) => e.recurrenceId)).toEqual(['2025-03-10T09:00:00.000Z']);
    expect(codes(invite)).toEqual(['COMPONENT_DROPPED']);
  });

  test('When a bad copy of an instance comes before a good one, then the good one is kept without a duplicate warning', () => {
    const calendar = vcalendar(
      'REQUEST',
      ...vevent('UID:s', STAMP, 'RECURRENCE-ID:20250310T090000Z', 'DTSTART:20250332T100000Z'),
      ...vevent('UID:s', STAMP, 'RECURRENCE-ID:20250310T090000Z', 'DTSTART:20250310T100000Z'),
    );

    const [invite] = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    expect(invite!.events.map((e) => e.start)).toEqual([new Date('2025-03-10T10:00:00Z')]);
    expect(codes(invite)).toEqual(['COMPONENT_DROPPED']);
  });

  test('When a dropped VEVENT\'s UID has no invite left, then every invite of the message carries its warning', () => {
    const calendar = vcalendar(
      'REQUEST',
      ...vevent('UID:a', STAMP, 'DTSTART:20250224T090000Z'),
      ...vevent('UID:b', STAMP, 'DTSTART:20250230T090000Z'),
      ...vevent('UID:c', STAMP, 'DTSTART:20250303T090000Z'),
    );

    const invites = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    expect(invites.map((i) => [i.uid, codes(i)])).toEqual([['a', ['COMPONENT_DROPPED']], ['c', ['COMPONENT_DROPPED']]]);
  });

  test('When an RRULE has another flaw but a valid FREQ (Exchange 2003 "BYDAY=MO, TU"), then it is still kept, flagged', () => {
    const calendar = vcalendar('REQUEST', ...vevent('UID:x', STAMP, 'DTSTART:20250401T080000Z', 'RRULE:freq=weekly;BYDAY=MO, TU'));

    const [invite] = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    expect(invite!.events[0]!.rrule).toEqual(['freq=weekly;BYDAY=MO, TU']);
    expect(codes(invite)).toEqual(['RRULE_NOT_VALIDATED']);
  });
});

describe('rejecting only what has nothing usable left', () => {
  test('When every VEVENT is unusable, then the message is rejected with the first one\'s reason and the others are counted', () => {
    // Arrange
    const calendar = vcalendar(
      'REQUEST',
      ...vevent('UID:b1', STAMP, 'DTSTART:20250230T090000Z'),
      ...vevent('UID:b2', STAMP),
      ...vevent('UID:b3', STAMP, 'DTSTART:20250601T090000Z', 'RRULE:COUNT=3'),
    );

    // Act
    const outcome = parseCalendarText(calendar, TEST_CONTEXT);

    // Assert
    expect(outcome).toEqual({
      kind: 'rejected',
      reasonCode: 'INVALID_DATE',
      detail: 'DTSTART "2025-02-30T09:00:00Z" is not a valid date or date-time (UID b1); no other component usable either: MISSING_DTSTART (UID b2), MALFORMED_ICALENDAR (UID b3)',
    });
  });

  test('When the only VEVENT is unusable, then the rejection is exactly what it always was', () => {
    const outcome = parseCalendarText(vcalendar('REQUEST', ...vevent('UID:no-start', STAMP)), TEST_CONTEXT);

    expect(outcome).toEqual({ kind: 'rejected', reasonCode: 'MISSING_DTSTART', detail: 'REQUEST VEVENT has no DTSTART (RFC 5546 §3.2) (UID no-start)' });
  });

  test('When a VEVENT hits a limit (too many RDATEs), then the whole message is rejected TOO_LARGE, not salvaged', () => {
    const calendar = vcalendar('REQUEST', ...vevent('UID:big', STAMP, 'DTSTART:20250101T090000Z', 'RDATE:20250102T090000Z,20250103T090000Z'), ...vevent('UID:ok', STAMP, 'DTSTART:20250101T090000Z'));

    const outcome = parseCalendarText(calendar, TEST_CONTEXT, { ...DEFAULT_PARSE_LIMITS, maxRecurrenceDates: 1 });

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'TOO_LARGE' });
  });
});

describe('salvaging whole objects and parts', () => {
  test('When one VCALENDAR of a stream has a METHOD that is not iTIP, then the other is parsed and the dropped one named', () => {
    const text = vcalendar('XYZ', ...vevent('UID:x', STAMP, 'DTSTART:20250101T090000Z')) + vcalendar('REQUEST', ...vevent('UID:y', STAMP, 'DTSTART:20250101T090000Z'));

    const [invite] = invitesOf(parseCalendarText(text, TEST_CONTEXT));

    expect(invite!.uid).toBe('y');
    expect(invite!.warnings).toEqual([expect.stringMatching(/^COMPONENT_DROPPED: VCALENDAR 1 of calendar text \(1 VEVENTs\) dropped, UNSUPPORTED_METHOD: /)]);
  });

  test('When one calendar part is not iCalendar at all and another is good, then the good part is parsed and the bad part named', () => {
    // Arrange
    const good = vcalendar('REQUEST', ...vevent('UID:y', STAMP, 'DTSTART:20250101T090000Z'));
    const sources = [
      { text: 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID="a:b";X=1\nEND:VCALENDAR\n', mimeMethod: 'REQUEST', label: 'part 1.2 text/calendar', contentType: 'text/calendar' },
      { text: good, mimeMethod: '', label: 'part 2 application/ics', contentType: 'application/ics' },
    ];

    // Act
    const [invite] = invitesOf(parseCalendarSources(sources, ENVELOPE, DEFAULT_PARSE_LIMITS));

    // Assert
    expect(invite!.uid).toBe('y');
    expect(invite!.warnings).toEqual([expect.stringMatching(/^CALENDAR_PART_DROPPED: part 1.2 text\/calendar dropped, MALFORMED_ICALENDAR: /)]);
  });

  test('When every part is unreadable, then the message is rejected MALFORMED_ICALENDAR as before', () => {
    const sources = [{ text: 'not a calendar', mimeMethod: 'REQUEST', label: 'part 1 text/calendar', contentType: 'text/calendar' }];

    expect(parseCalendarSources(sources, ENVELOPE, DEFAULT_PARSE_LIMITS)).toEqual({ kind: 'rejected', reasonCode: 'MALFORMED_ICALENDAR', detail: 'no BEGIN:VCALENDAR line' });
  });

  test('When more pieces are dropped than one record should repeat, then the warnings stop at 20 and count the rest', () => {
    const bad = Array.from({ length: 25 }, (_, n) => vevent(`UID:bad-${n}`, STAMP)).flat();
    const calendar = vcalendar('REQUEST', ...bad, ...vevent('UID:good', STAMP, 'DTSTART:20250101T090000Z'));

    const [invite] = invitesOf(parseCalendarText(calendar, TEST_CONTEXT));

    expect(invite!.warnings).toHaveLength(21);
    expect(invite!.warnings[20]).toBe('COMPONENT_DROPPED: and 5 more pieces of this message');
  });
});
