// expandInstances (issue 9): stored iCalendar → the owner's diary instances in a window, as
// "RECURRENCE-ID start–end status" rows (UTC instants, compact).
import { expandInstances, recordOwnAnswer, type ExpandOptions, type Meeting } from '../src/index';
import { cal, ev, seed, type Given } from './itip-table.support';

const RID_0309 = 'RECURRENCE-ID;TZID=Europe/Berlin:20260309T090000';
const R0 = cal('REQUEST', ev());
const MARCH = { from: '2026-03-01T00:00:00Z', to: '2026-05-01T00:00:00Z' };
const zoned = (zone: string, start: string, end: string, ...lines: string[]): string =>
  cal('REQUEST', ev({ start: null, rrule: null, extra: [`DTSTART;TZID=${zone}:${start}`, `DTEND;TZID=${zone}:${end}`, ...lines] }));
const compact = (iso: string): string => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '').replace(/^(\d{8}T\d{4})00Z$/, '$1Z');

interface DiaryCase {
  name: string;
  owner?: 'homer' | 'marge';
  given: Given[];
  /** Answers the owner gave in the CRM, in order: [PARTSTAT, RECURRENCE-ID or '']. */
  answers?: [string, string][];
  /** The copy, changed after seeding (e.g. by a local edit). */
  edit?: (m: Meeting) => Meeting;
  window?: { from: string; to: string };
  options?: ExpandOptions;
  /** "rid start-end status", times compact UTC without seconds (rid '-' for a single meeting). */
  rows?: string[];
  /** Only these fields of the listed rows. */
  details?: Record<string, string>[];
  truncated?: boolean;
  unsupported?: RegExp;
  count?: number;
}

const cases: DiaryCase[] = [
  {
    name: 'a weekly 09:00 Europe/Oslo meeting stays at 09:00 local across the DST change (07:00Z after 29 March)',
    given: [zoned('Europe/Oslo', '20260316T090000', '20260316T100000', 'RRULE:FREQ=WEEKLY;COUNT=4')],
    rows: [
      '20260316T0800Z 20260316T0800Z-20260316T0900Z tentative', '20260323T0800Z 20260323T0800Z-20260323T0900Z tentative',
      '20260330T0700Z 20260330T0700Z-20260330T0800Z tentative', '20260406T0700Z 20260406T0700Z-20260406T0800Z tentative',
    ],
  },
  {
    name: 'UNTIL in UTC is compared as an instant: the 09:00 Berlin occurrence at exactly UNTIL (08:00Z) is included',
    given: [zoned('Europe/Berlin', '20260302T090000', '20260302T100000', 'RRULE:FREQ=WEEKLY;UNTIL=20260316T080000Z')],
    rows: ['20260302T0800Z 20260302T0800Z-20260302T0900Z tentative', '20260309T0800Z 20260309T0800Z-20260309T0900Z tentative', '20260316T0800Z 20260316T0800Z-20260316T0900Z tentative'],
  },
  {
    name: 'the window is [from, to): an instance starting at `to` is left out, one at `from` is in',
    given: [R0], window: { from: '2026-03-09T08:00:00Z', to: '2026-03-23T08:00:00Z' },
    rows: ['20260309T0800Z 20260309T0800Z-20260309T0900Z tentative', '20260316T0800Z 20260316T0800Z-20260316T0900Z tentative'],
  },
  {
    name: 'EXDATE removes an occurrence',
    given: [cal('REQUEST', ev({ extra: ['EXDATE;TZID=Europe/Berlin:20260309T090000,20260323T090000'] }))], count: 4,
    details: [{ recurrenceId: '2026-03-02T08:00:00.000Z' }, { recurrenceId: '2026-03-16T08:00:00.000Z' }, { recurrenceId: '2026-03-30T07:00:00.000Z' }, { recurrenceId: '2026-04-06T07:00:00.000Z' }],
  },
  {
    name: 'an instance CANCEL removes that occurrence',
    given: [R0, cal('CANCEL', ev({ seq: 1, rid: RID_0309, start: null }))], count: 5,
    details: [{ recurrenceId: '2026-03-02T08:00:00.000Z' }, { recurrenceId: '2026-03-16T08:00:00.000Z' }, {}, {}, {}],
  },
  {
    name: 'includeCancelled keeps the cancelled occurrence, marked cancelled',
    given: [R0, cal('CANCEL', ev({ seq: 1, rid: RID_0309, start: null }))], options: { includeCancelled: true },
    window: { from: '2026-03-09T00:00:00Z', to: '2026-03-10T00:00:00Z' }, rows: ['20260309T0800Z 20260309T0800Z-20260309T0900Z cancelled'],
  },
  {
    name: 'an instance the organizer cancelled (an EXDATE plus its tombstone, as planChange stores it) is listed as cancelled, not dropped',
    owner: 'marge', given: [R0],
    edit: (m) => ({
      ...m, master: { ...m.master!, exdate: ['2026-03-09T08:00:00.000Z'] },
      tombstones: { '2026-03-09T08:00:00.000Z': { recurrenceId: '2026-03-09T08:00:00.000Z', range: '', version: { sequence: 1, dtstamp: '2026-03-01T00:00:00.000Z' }, ownerRemoved: false, mailId: '' } },
    }),
    options: { includeCancelled: true },
    window: { from: '2026-03-09T00:00:00Z', to: '2026-03-17T00:00:00Z' },
    rows: ['20260309T0800Z 20260309T0800Z-20260309T0900Z cancelled', '20260316T0800Z 20260316T0800Z-20260316T0900Z invited'],
  },
  {
    name: 'an EXDATE the organizer sent without a CANCEL stays out of the diary, cancelled instances included',
    given: [cal('REQUEST', ev({ extra: ['EXDATE;TZID=Europe/Berlin:20260309T090000'] }))], options: { includeCancelled: true },
    window: { from: '2026-03-09T00:00:00Z', to: '2026-03-10T00:00:00Z' }, rows: [],
  },
  {
    name: 'a CANCEL with RANGE=THISANDFUTURE removes that occurrence and the later ones',
    given: [R0, cal('CANCEL', ev({ seq: 1, rid: 'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260316T090000', start: null }))], count: 2,
  },
  {
    name: 'an override replaces its occurrence (matched by RECURRENCE-ID as an instant), with its own time and details',
    given: [R0, cal('REQUEST', ev({ seq: 1, rid: 'RECURRENCE-ID:20260309T080000Z', start: '20260309T150000', summary: 'Late tasting', extra: ['LOCATION:Cellar'] }))],
    window: { from: '2026-03-09T00:00:00Z', to: '2026-03-10T00:00:00Z' },
    details: [{ recurrenceId: '2026-03-09T08:00:00.000Z', start: '2026-03-09T14:00:00.000Z', summary: 'Late tasting', location: 'Cellar', overridden: 'true' }],
  },
  {
    name: 'an override moved into the window from outside it is listed; its original slot is not',
    given: [R0, cal('REQUEST', ev({ seq: 1, rid: RID_0309, start: '20260320T090000' }))],
    window: { from: '2026-03-20T00:00:00Z', to: '2026-03-21T00:00:00Z' }, rows: ['20260309T0800Z 20260320T0800Z-20260320T0900Z tentative'],
  },
  {
    name: 'a RANGE=THISANDFUTURE override moves its occurrence and every later one by the same local shift, across DST',
    given: [R0, cal('REQUEST', ev({ seq: 1, rid: 'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260316T090000', start: '20260316T110000', summary: 'Tasting at 11' }))],
    window: { from: '2026-03-09T00:00:00Z', to: '2026-04-07T00:00:00Z' },
    rows: [
      '20260309T0800Z 20260309T0800Z-20260309T0900Z tentative', '20260316T0800Z 20260316T1000Z-20260316T1100Z tentative',
      '20260323T0800Z 20260323T1000Z-20260323T1100Z tentative', '20260330T0700Z 20260330T0900Z-20260330T1000Z tentative',
      '20260406T0700Z 20260406T0900Z-20260406T1000Z tentative',
    ],
  },
  {
    name: 'occurrences after a RANGE=THISANDFUTURE override carry its details',
    given: [R0, cal('REQUEST', ev({ seq: 1, rid: 'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260330T090000', start: '20260330T090000', summary: 'New tasting', extra: ['LOCATION:Cellar'] }))],
    window: { from: '2026-03-23T00:00:00Z', to: '2026-04-07T00:00:00Z' },
    details: [{ summary: 'Tasting', location: '', overridden: 'false' }, { summary: 'New tasting', location: 'Cellar', overridden: 'true' }, { summary: 'New tasting', location: 'Cellar', overridden: 'true' }],
  },
  {
    name: 'RDATE adds an occurrence; a PERIOD gives its own end',
    given: [cal('REQUEST', ev({ rrule: 'FREQ=WEEKLY;COUNT=2', extra: ['RDATE:20260311T130000Z', 'RDATE;VALUE=PERIOD:20260312T130000Z/20260312T170000Z'] }))],
    window: { from: '2026-03-01T00:00:00Z', to: '2026-03-20T00:00:00Z' },
    rows: [
      '20260302T0800Z 20260302T0800Z-20260302T0900Z tentative', '20260309T0800Z 20260309T0800Z-20260309T0900Z tentative',
      '20260311T1300Z 20260311T1300Z-20260311T1400Z tentative', '20260312T1300Z 20260312T1300Z-20260312T1700Z tentative',
    ],
  },
  {
    name: 'a meeting that does not recur is one instance without RECURRENCE-ID, with its conference link',
    given: [cal('REQUEST', ev({ rrule: null, extra: ['CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://meet.example.com/tasting'] }))],
    rows: ['- 20260302T0800Z-20260302T0900Z tentative'], details: [{ conferenceUrl: 'https://meet.example.com/tasting' }],
  },
  {
    name: 'an all-day weekly event gives whole days',
    given: [cal('REQUEST', ev({ start: null, rrule: null, extra: ['DTSTART;VALUE=DATE:20260302', 'DTEND;VALUE=DATE:20260303', 'RRULE:FREQ=WEEKLY;COUNT=2'] }))],
    rows: ['20260302T0000Z 20260302T0000Z-20260303T0000Z tentative', '20260309T0000Z 20260309T0000Z-20260310T0000Z tentative'],
    details: [{ allDay: 'true' }, { allDay: 'true' }],
  },
  {
    name: 'a copy holding only one occurrence (invited to that one alone) lists it',
    given: [cal('REQUEST', ev({ rid: RID_0309, start: '20260309T090000' }))], rows: ['20260309T0800Z 20260309T0800Z-20260309T0900Z tentative'],
  },
  // Bounds
  {
    name: 'FREQ=SECONDLY without COUNT stops at maxInstances and says it was cut short',
    given: [cal('REQUEST', ev({ rrule: 'FREQ=SECONDLY' }))], options: { maxInstances: 50 }, count: 50, truncated: true,
  },
  {
    name: 'FREQ=SECONDLY far before the window stops at maxIterations and says so',
    given: [cal('REQUEST', ev({ rrule: 'FREQ=SECONDLY' }))], window: { from: '2027-01-01T00:00:00Z', to: '2027-01-02T00:00:00Z' }, options: { maxIterations: 2000 }, count: 0, truncated: true,
  },
  {
    name: 'FREQ=SECONDLY filtered by month is not expanded (it would walk a year second by second); DTSTART still counts',
    given: [cal('REQUEST', ev({ rrule: 'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30' }))], count: 1, unsupported: /filtered by date parts/,
  },
  {
    name: 'FREQ=DAILY on a day no month has is not expanded (ical.js would never return)',
    given: [cal('REQUEST', ev({ rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' }))], count: 1, unsupported: /BYMONTHDAY/,
  },
  // Statuses (domain.md §2)
  {
    name: 'the organizer\'s copy is not tentative: invited until answered',
    owner: 'marge', given: [R0], window: { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' }, rows: ['20260302T0800Z 20260302T0800Z-20260302T0900Z invited'],
  },
  {
    name: 'accepting the series accepts every instance; declining one instance declines that one only',
    given: [R0], answers: [['ACCEPTED', ''], ['DECLINED', '2026-03-09T08:00:00.000Z']], window: { from: '2026-03-01T00:00:00Z', to: '2026-03-17T00:00:00Z' },
    rows: ['20260302T0800Z 20260302T0800Z-20260302T0900Z accepted', '20260309T0800Z 20260309T0800Z-20260309T0900Z declined', '20260316T0800Z 20260316T0800Z-20260316T0900Z accepted'],
  },
  {
    name: 'answered tentatively: tentative',
    given: [R0], answers: [['TENTATIVE', '']], window: { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' }, rows: ['20260302T0800Z 20260302T0800Z-20260302T0900Z tentative'],
  },
  {
    name: 'the series moved after the owner accepted it: moved',
    given: [R0], answers: [['ACCEPTED', '']], edit: (m) => seedOnto(m, cal('REQUEST', ev({ seq: 1, start: '20260302T140000' }))),
    window: { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' }, rows: ['20260302T1300Z 20260302T1300Z-20260302T1400Z moved'],
  },
  {
    name: 'one occurrence rescheduled by a later override after the owner accepted the series: that one moved',
    given: [R0], answers: [['ACCEPTED', '']], edit: (m) => seedOnto(m, cal('REQUEST', ev({ seq: 1, rid: RID_0309, start: '20260309T150000' }))),
    window: { from: '2026-03-02T00:00:00Z', to: '2026-03-10T00:00:00Z' },
    rows: ['20260302T0800Z 20260302T0800Z-20260302T0900Z accepted', '20260309T0800Z 20260309T1400Z-20260309T1500Z moved'],
  },
  {
    name: 'a cancelled meeting lists its instances as cancelled',
    given: [R0, cal('CANCEL', ev({ seq: 1, extra: ['STATUS:CANCELLED'] }))], window: { from: '2026-03-02T00:00:00Z', to: '2026-03-10T00:00:00Z' },
    rows: ['20260302T0800Z 20260302T0800Z-20260302T0900Z cancelled', '20260309T0800Z 20260309T0800Z-20260309T0900Z cancelled'],
  },
];

function seedOnto(m: Meeting, ics: string): Meeting {
  return seed('homer', [ics], m)!;
}

function run(c: DiaryCase): ReturnType<typeof expandInstances> {
  let m = seed(c.owner ?? 'homer', c.given)!;
  for (const [partstat, rid] of c.answers ?? []) m = recordOwnAnswer(m, partstat, rid, '2026-01-15T00:00:00.000Z');
  if (c.edit) m = c.edit(m);
  return expandInstances(m, c.window ?? MARCH, c.options);
}

describe('expandInstances: stored iCalendar → the owner\'s diary instances in a window', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = run(c);
    const rows = result.instances.map((i) => `${i.recurrenceId ? compact(i.recurrenceId) : '-'} ${compact(i.start)}-${compact(i.end)} ${i.status}`);
    if (c.rows) expect(rows).toEqual(c.rows);
    if (c.count !== undefined) expect(result.instances).toHaveLength(c.count);
    c.details?.forEach((want, n) => {
      const got = result.instances[n] as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(want)) expect(`${key}=${String(got[key])}`).toBe(`${key}=${value}`);
    });
    expect(result.truncated).toBe(c.truncated ?? false);
    if (c.unsupported) expect(result.unsupported.join('; ')).toMatch(c.unsupported);
    else expect(result.unsupported).toEqual([]);
  });
});
