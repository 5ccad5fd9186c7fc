import { addWallDays, ianaOffsets, wallToInstant } from './time-zones';
import type { WallTime } from './date-values';

function wall(text: string): WallTime {
  const [date = '', time = '00:00:00'] = text.split('T');
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second] = time.split(':').map(Number) as [number, number, number];
  return { year, month, day, hour, minute, second };
}

function instantIn(zone: string, local: string): string {
  const offsets = ianaOffsets(zone);
  if (!offsets) throw new Error(`${zone} unknown`);
  return new Date(wallToInstant(wall(local), offsets)).toISOString();
}

describe('wall time → instant in an IANA zone (Europe/Oslo, CET/CEST)', () => {
  // 2024: clocks go 02:00 → 03:00 on Sunday 31 March and 03:00 → 02:00 on Sunday 27 October.
  test.each([
    ['the evening before the spring change is still CET (+01:00)', '2024-03-30T22:00:00', '2024-03-30T21:00:00.000Z'],
    ['01:30 on the spring change day, before the gap, is CET', '2024-03-31T01:30:00', '2024-03-31T00:30:00.000Z'],
    ['03:30 on the spring change day, after the gap, is CEST (+02:00)', '2024-03-31T03:30:00', '2024-03-31T01:30:00.000Z'],
    ['01:30 on the autumn change day is still CEST', '2024-10-27T01:30:00', '2024-10-26T23:30:00.000Z'],
    ['03:30 on the autumn change day is CET again', '2024-10-27T03:30:00', '2024-10-27T02:30:00.000Z'],
    ['a summer afternoon is CEST', '2024-07-01T15:00:00', '2024-07-01T13:00:00.000Z'],
  ])('%s', (_name, local, expected) => {
    expect(instantIn('Europe/Oslo', local)).toBe(expected);
  });

  test('When a wall time falls in the spring-forward gap, then it is read with the offset before the gap (RFC 5545 §3.3.5)', () => {
    // 02:30 never happens on 31 March 2024 in Oslo; read with +01:00 it is 01:30Z, i.e. 03:30 CEST.
    expect(instantIn('Europe/Oslo', '2024-03-31T02:30:00')).toBe('2024-03-31T01:30:00.000Z');
  });

  test('When a wall time occurs twice at the autumn change, then the first occurrence (still CEST) is meant (RFC 5545 §3.3.5)', () => {
    expect(instantIn('Europe/Oslo', '2024-10-27T02:30:00')).toBe('2024-10-27T00:30:00.000Z');
  });

  test('When the name is an IANA link such as US/Pacific, then it is accepted', () => {
    expect(instantIn('US/Pacific', '2024-01-15T09:00:00')).toBe('2024-01-15T17:00:00.000Z');
  });

  test.each(['FLE Standard Time', 'Customized Time Zone', '+01:00', '', 'Europe/Nowhere'])(
    'When the name %j is not an IANA zone, then no offsets are offered',
    (name) => {
      expect(ianaOffsets(name)).toBeUndefined();
    },
  );
});

describe('nominal days (RFC 5545 §3.3.6)', () => {
  test('When one day is added to a wall time, then the calendar date advances and the clock time stays', () => {
    expect(addWallDays(wall('2024-03-30T10:00:00'), 1)).toEqual(wall('2024-03-31T10:00:00'));
    expect(addWallDays(wall('2024-02-28T23:30:00'), 2)).toEqual(wall('2024-03-01T23:30:00'));
  });
});
