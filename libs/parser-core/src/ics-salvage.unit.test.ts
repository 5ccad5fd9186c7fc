// Salvage of text ical.js cannot read at once (issue 13): an unreadable line costs its component,
// not the whole part.
import { eventsV1 } from '@inviteflow/proto-gen';
import { ics, TEST_CONTEXT, vcalendar, vevent } from '@inviteflow/testing';
import { parseCalendarText } from './calendar-parser';
import { parseIcsText } from './ics-text';
import { DEFAULT_PARSE_LIMITS, type ParseOutcome } from './parse-outcome';

const STAMP = 'DTSTAMP:20250110T120000Z';
const good = (uid: string): string[] => vevent(`UID:${uid}`, STAMP, 'DTSTART:20250312T150000Z', 'DURATION:PT1H');

function invitesOf(outcome: ParseOutcome): eventsV1.InviteParsed[] {
  if (outcome.kind !== 'parsed') throw new Error(`expected parsed, got ${outcome.kind}: ${outcome.detail}`);
  return outcome.invites;
}

const dropWarnings = (invite: eventsV1.InviteParsed | undefined): string[] =>
  (invite?.warnings ?? []).filter((w) => w.startsWith('COMPONENT_DROPPED'));

describe('an unreadable line inside one VEVENT', () => {
  test.each([
    ['a DTSTART whose quote never closes', 'DTSTART;TZID=Europe/Oslo;X-FROM="Outlook:20250311T090000', 'DTSTART'],
    ['a DTSTART without a value', 'DTSTART;TZID=Europe/Oslo', 'DTSTART'],
    ['an RRULE with parameters instead of a value', 'RRULE;FREQ=DAILY', 'RRULE'],
    ['a RECURRENCE-ID with an empty parameter name', 'RECURRENCE-ID;=x:20250311T090000Z', 'RECURRENCE-ID'],
  ])('When one VEVENT of three has %s, then only that VEVENT is dropped, named by UID and why', (_what, line, name) => {
    // Arrange
    const bad = vevent('UID:bad', STAMP, 'DTSTART:20250311T090000Z', line);
    const text = vcalendar('REQUEST', ...good('first'), ...bad, ...good('third'));

    // Act
    const invites = invitesOf(parseCalendarText(text, TEST_CONTEXT));

    // Assert
    expect(invites.map((invite) => invite.uid)).toEqual(['first', 'third']);
    expect(dropWarnings(invites[0])).toEqual([
      expect.stringMatching(new RegExp(`^COMPONENT_DROPPED: VEVENT 2 of calendar text dropped, MALFORMED_ICALENDAR: unreadable ${name} line: .*\\(UID bad\\)$`)),
    ]);
  });

  test('When an override with an unreadable line is dropped, then the warning names its RECURRENCE-ID and goes on its own series', () => {
    // Arrange
    const master = vevent('UID:s', STAMP, 'DTSTART:20250303T090000Z', 'RRULE:FREQ=WEEKLY;COUNT=4');
    const override = vevent('UID:s', STAMP, 'RECURRENCE-ID:20250310T090000Z', 'DTSTART:20250310T100000Z', 'DTEND;X="oops:20250310T110000Z');
    const text = vcalendar('REQUEST', ...master, ...override, ...good('other'));

    // Act
    const [series, other] = invitesOf(parseCalendarText(text, TEST_CONTEXT));

    // Assert
    expect(series!.events).toHaveLength(1);
    expect(dropWarnings(series)).toEqual([expect.stringContaining('(UID s, RECURRENCE-ID 20250310T090000Z)')]);
    expect(dropWarnings(other)).toEqual([]);
  });

  test('When a line that decides nothing is unreadable inside the dropped VEVENT, then its line warning is not reported', () => {
    const bad = vevent('UID:bad', STAMP, 'ORGANIZER;mailto:x@example.org', 'DTSTART;X="y:20250311T090000Z');
    const text = vcalendar('REQUEST', ...bad, ...good('kept'));

    const [invite] = invitesOf(parseCalendarText(text, TEST_CONTEXT));

    expect(invite!.warnings.map((w) => w.split(':')[0])).toEqual(['COMPONENT_DROPPED']);
  });

  test('When every VEVENT has an unreadable line, then the object is rejected MALFORMED_ICALENDAR naming the first', () => {
    const text = vcalendar('REQUEST', ...vevent('UID:a', STAMP, 'DTSTART;X="1:20250311T090000Z'), ...vevent('UID:b', STAMP, 'UID;X=1'));

    const outcome = parseCalendarText(text, TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'MALFORMED_ICALENDAR', detail: expect.stringMatching(/^unreadable DTSTART line: .*\(UID a\)/) });
  });
});

describe('an object whose structure ical.js cannot follow', () => {
  test('When one VEVENT lost its END:VEVENT, then the VEVENTs around it are kept and it is dropped', () => {
    const open = vevent('UID:open', STAMP, 'DTSTART:20250311T090000Z').filter((line) => line !== 'END:VEVENT');
    const text = vcalendar('REQUEST', ...good('first'), ...open, ...good('third'));

    const invites = invitesOf(parseCalendarText(text, TEST_CONTEXT));

    expect(invites.map((invite) => invite.uid)).toEqual(['first', 'third']);
    expect(dropWarnings(invites[0])).toEqual([expect.stringContaining('VEVENT 2 of calendar text dropped, MALFORMED_ICALENDAR: no END:VEVENT before BEGIN:VEVENT (UID open)')]);
  });

  test('When a VALARM inside one VEVENT is not closed, then only that VEVENT is dropped', () => {
    const text = vcalendar('REQUEST', ...vevent('UID:alarm', STAMP, 'DTSTART:20250311T090000Z', 'BEGIN:VALARM', 'TRIGGER:-PT5M'), ...good('kept'));

    const invites = invitesOf(parseCalendarText(text, TEST_CONTEXT));

    expect(invites.map((invite) => invite.uid)).toEqual(['kept']);
    expect(dropWarnings(invites[0])).toEqual([expect.stringContaining('no END:VALARM (UID alarm)')]);
  });
});

describe('lines that cost a whole VCALENDAR', () => {
  test('When the METHOD line of the second object of a stream is unreadable, then the first object is kept', () => {
    const text = vcalendar('REQUEST', ...good('a')) + vcalendar(undefined, 'METHOD;X="y:CANCEL', ...good('b'));

    const invites = invitesOf(parseCalendarText(text, TEST_CONTEXT));

    expect(invites.map((invite) => invite.uid)).toEqual(['a']);
    expect(dropWarnings(invites[0])).toEqual([expect.stringMatching(/^COMPONENT_DROPPED: VCALENDAR 2 of calendar text dropped, MALFORMED_ICALENDAR: unreadable METHOD line/)]);
  });

  test('When a VTIMEZONE line is unreadable, then the object is rejected, since its events\' times depend on it (RFC 5545 §3.6.5)', () => {
    const zone = ['BEGIN:VTIMEZONE', 'TZID:Custom', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM;X="1:+0100', 'TZOFFSETTO:+0100', 'END:STANDARD', 'END:VTIMEZONE'];
    const text = vcalendar('REQUEST', ...zone, ...vevent('UID:z', STAMP, 'DTSTART;TZID=Custom:20250311T090000'));

    const outcome = parseCalendarText(text, TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'MALFORMED_ICALENDAR', detail: expect.stringContaining('VTIMEZONE 1: unreadable TZOFFSETFROM line') });
  });
});

describe('the cost of the salvage path', () => {
  test('When the text reads at once, then objects carry no drop and no renumbering (the fast path)', () => {
    const { objects } = parseIcsText(vcalendar('REQUEST', ...good('a'), ...good('b')));

    expect(objects).toEqual([{ number: 1, calendar: expect.anything(), dropped: [] }]);
  });

  test('When a damaged text has more components than allowed, then the salvage path stops with TOO_LARGE', () => {
    const many = Array.from({ length: 50 }, (_, i) => good(`e${i}`)).flat();
    const text = vcalendar('REQUEST', ...many, ...vevent('UID:bad', 'DTSTART;X="y:20250311T090000Z'));

    const outcome = parseCalendarText(text, TEST_CONTEXT, { ...DEFAULT_PARSE_LIMITS, maxComponents: 20 });

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'TOO_LARGE' });
  });

  test('When VEVENTs are dropped while reading, then they still count against maxEvents', () => {
    const text = vcalendar('REQUEST', ...good('a'), ...vevent('UID:bad', 'DTSTART;X="y:20250311T090000Z'));

    const outcome = parseCalendarText(text, TEST_CONTEXT, { ...DEFAULT_PARSE_LIMITS, maxEvents: 1 });

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'TOO_LARGE' });
  });

  test('When content stands between two objects of a damaged stream, then it is dropped with a warning', () => {
    const text = ics('BEGIN:VCALENDAR', 'METHOD:REQUEST', ...good('a'), 'END:VCALENDAR', 'garbage between', 'BEGIN:VCALENDAR', 'METHOD:REQUEST', ...vevent('UID:b', 'DTSTART;X="1:2'), 'END:VCALENDAR');

    const [invite] = invitesOf(parseCalendarText(text, TEST_CONTEXT));

    expect(invite!.warnings).toContain('STRAY_CONTENT_DROPPED: 15 characters between VCALENDARs');
  });
});
