import { ics } from '@inviteflow/testing';
import { ICAL, type IcalComponent } from './ical';
import { parseIcsText } from './ics-text';
import { ianaOffsets, wallToInstant } from './time-zones';
import { vtimezoneOffsets } from './vtimezone';
import type { WallTime } from './date-values';

function vtimezone(...lines: string[]): IcalComponent {
  // Through parseIcsText, as in production: it is what hands RRULEs over verbatim.
  const [calendar] = parseIcsText(ics('BEGIN:VCALENDAR', 'BEGIN:VTIMEZONE', ...lines, 'END:VTIMEZONE', 'END:VCALENDAR')).calendars;
  const component = calendar?.getFirstSubcomponent('vtimezone');
  if (!component) throw new Error('no VTIMEZONE');
  return component;
}

// What Outlook sends for Oslo/Berlin/Amsterdam: rules anchored in 1601, not synchronised with DTSTART.
const W_EUROPE = vtimezone(
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD', 'DTSTART:16010101T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10', 'END:STANDARD',
  'BEGIN:DAYLIGHT', 'DTSTART:16010101T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3', 'END:DAYLIGHT',
);

function wall(year: number, month: number, day: number, hour: number, minute = 0): WallTime {
  return { year, month, day, hour, minute, second: 0 };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

describe('an embedded VTIMEZONE as offsets', () => {
  test.each([
    ['before the spring gap', wall(2024, 3, 31, 1, 30)],
    ['inside the spring gap', wall(2024, 3, 31, 2, 30)],
    ['after the spring gap', wall(2024, 3, 31, 3, 30)],
    ['before the autumn overlap', wall(2024, 10, 27, 1, 30)],
    ['inside the autumn overlap', wall(2024, 10, 27, 2, 30)],
    ['after the autumn overlap', wall(2024, 10, 27, 3, 30)],
    ['a winter day in another year', wall(2031, 1, 15, 9)],
  ])('When Outlook\'s W. Europe rules read a wall time %s, then the instant equals Europe/Oslo\'s', (_case, local) => {
    // Arrange
    const embedded = vtimezoneOffsets(W_EUROPE);
    const iana = ianaOffsets('Europe/Oslo');

    // Act
    const fromVtimezone = wallToInstant(local, embedded!);
    const fromIntl = wallToInstant(local, iana!);

    // Assert
    expect(iso(fromVtimezone)).toBe(iso(fromIntl));
  });

  test('When observances are given by RDATE instead of RRULE, then each RDATE is an onset', () => {
    // Arrange: a zone that was +02:00 and moved to +03:00 once, in 2011 (like Europe/Moscow).
    const zone = vtimezone(
      'TZID:Once',
      'BEGIN:STANDARD', 'DTSTART:20000101T000000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0200', 'END:STANDARD',
      'BEGIN:STANDARD', 'DTSTART:20110327T020000', 'RDATE:20110327T020000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0300', 'END:STANDARD',
    );

    // Act
    const offsets = vtimezoneOffsets(zone)!;

    // Assert
    expect(iso(wallToInstant(wall(2010, 6, 1, 12), offsets))).toBe('2010-06-01T10:00:00.000Z');
    expect(iso(wallToInstant(wall(2012, 6, 1, 12), offsets))).toBe('2012-06-01T09:00:00.000Z');
  });

  test('When a VTIMEZONE has no STANDARD or DAYLIGHT, then it offers no offsets', () => {
    expect(vtimezoneOffsets(vtimezone('TZID:Empty'))).toBeUndefined();
  });

  const HOSTILE_RULES = ['FREQ=SECONDLY', 'FREQ=SECONDLY;BYMONTH=12', 'FREQ=MINUTELY;BYMONTH=12;BYMONTHDAY=31;BYHOUR=23'];

  test.each(HOSTILE_RULES)('When a hostile VTIMEZONE recurs with %s from 1601, then reading an offset stays fast', (rule) => {
    // Arrange
    const zone = vtimezone(
      'TZID:Hostile',
      'BEGIN:STANDARD', 'DTSTART:16010101T000000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', `RRULE:${rule}`, 'END:STANDARD',
    );

    // Act: without the expansion guard a SECONDLY rule from 1601 means ~10^10 steps, far past
    // Jest's test timeout; no wall-clock assertion is needed (or allowed) to catch that.
    const instant = wallToInstant(wall(2024, 6, 1, 12), vtimezoneOffsets(zone)!);

    // Assert
    expect(iso(instant)).toBe('2024-06-01T11:00:00.000Z');
  });

  test('When ical.js itself reads a wall time in the spring gap, then it disagrees with RFC 5545 §3.3.5 (why vtimezone.ts exists)', () => {
    // Arrange: 02:30 on 31 March 2024 does not exist in Oslo; RFC 5545 reads it with the
    // offset before the gap (+01:00), i.e. 01:30Z. ical.js applies +02:00.
    const local = ICAL.Time.fromData({ year: 2024, month: 3, day: 31, hour: 2, minute: 30, second: 0, isDate: false });
    local.zone = new ICAL.Timezone({ component: W_EUROPE, tzid: 'W. Europe Standard Time' });

    // Act
    const icalJs = iso(local.toUnixTime() * 1000);
    const ours = iso(wallToInstant(wall(2024, 3, 31, 2, 30), vtimezoneOffsets(W_EUROPE)!));

    // Assert: if this starts failing, ical.js changed and the workaround can be reconsidered.
    expect(ours).toBe('2024-03-31T01:30:00.000Z');
    expect(icalJs).toBe('2024-03-31T00:30:00.000Z');
  });
});
