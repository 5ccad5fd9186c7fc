// Several calendar parts that disagree about one UID (issue 13, point 3): the copy kept is chosen
// by PART_CHOICE_RULE, not by MIME order, and the choice is explained in a warning.
import { eventsV1 } from '@inviteflow/proto-gen';
import { vcalendar, vevent } from '@inviteflow/testing';
import { parseCalendarSources, type CalendarSource } from './calendar-parser';
import { DEFAULT_PARSE_LIMITS, type ParseOutcome } from './parse-outcome';

const ENVELOPE = { mailId: 'mail-1', mail: eventsV1.MailContext.fromPartial({ envelopeTo: ['homer@example.org'] }) };

interface Copy {
  method?: string;
  sequence?: number;
  stamp?: string;
  start?: string;
  extra?: string[];
}

function calendar({ method = 'REQUEST', sequence = 0, stamp = '20250110T120000Z', start = '20250306T090000Z', extra = [] }: Copy): string {
  return vcalendar(method, ...vevent('UID:q', `SEQUENCE:${sequence}`, `DTSTAMP:${stamp}`, `DTSTART:${start}`, ...extra));
}

const imipPart = (copy: Copy, mimeMethod = 'REQUEST'): CalendarSource => ({ text: calendar(copy), mimeMethod, label: 'part 1.2 text/calendar', contentType: 'text/calendar' });
const attachment = (copy: Copy, mimeMethod = ''): CalendarSource => ({ text: calendar(copy), mimeMethod, label: 'part 2 application/ics "invite.ics"', contentType: 'application/ics' });

function kept(sources: CalendarSource[]): { start: Date | undefined; method: string; warnings: string[] } {
  const outcome: ParseOutcome = parseCalendarSources(sources, ENVELOPE, DEFAULT_PARSE_LIMITS);
  if (outcome.kind !== 'parsed' || outcome.invites.length !== 1) throw new Error(`expected one invite, got ${JSON.stringify(outcome)}`);
  const [invite] = outcome.invites;
  return { start: invite!.events[0]!.start, method: invite!.method, warnings: invite!.warnings };
}

const LATER = '20250306T140000Z';

describe('choosing between calendar parts that disagree', () => {
  test.each([
    ['the iMIP part first', (a: CalendarSource, b: CalendarSource) => [a, b]],
    ['the attachment first', (a: CalendarSource, b: CalendarSource) => [b, a]],
  ])('When the iMIP part (method=REQUEST) has SEQUENCE 1 and an attachment without method= has SEQUENCE 2, with %s, then the iMIP part is kept', (_order, arrange) => {
    // Arrange
    const sources = arrange(imipPart({ sequence: 1 }), attachment({ sequence: 2, start: LATER }));

    // Act
    const result = kept(sources);

    // Assert
    expect(result.start).toEqual(new Date('2025-03-06T09:00:00Z'));
    expect(result.warnings).toEqual([
      'CALENDAR_PARTS_DISAGREE: kept part 1.2 text/calendar over part 2 application/ics "invite.ics" by METHOD matching its part\'s method= (METHOD:REQUEST method=REQUEST vs METHOD:REQUEST no method=)',
    ]);
  });

  test.each([
    ['lower first', (a: CalendarSource, b: CalendarSource) => [a, b]],
    ['higher first', (a: CalendarSource, b: CalendarSource) => [b, a]],
  ])('When both parts declare method=REQUEST and their SEQUENCEs differ (%s), then the higher SEQUENCE is kept', (_order, arrange) => {
    const result = kept(arrange(imipPart({ sequence: 1 }), attachment({ sequence: 2, start: LATER }, 'REQUEST')));

    expect(result.start).toEqual(new Date('2025-03-06T14:00:00Z'));
    expect(result.warnings).toEqual([expect.stringContaining('by higher SEQUENCE (2 vs 1)')]);
  });

  test('When SEQUENCE is equal, then the later DTSTAMP is kept', () => {
    const result = kept([imipPart({ stamp: '20250110T120000Z' }), imipPart({ stamp: '20250110T130000Z', start: LATER })]);

    expect(result.start).toEqual(new Date('2025-03-06T14:00:00Z'));
    expect(result.warnings).toEqual([expect.stringContaining('by later DTSTAMP (2025-01-10T13:00:00.000Z vs 2025-01-10T12:00:00.000Z)')]);
  });

  test('When a part\'s method= contradicts its METHOD, then a part without method= is preferred to it', () => {
    const result = kept([imipPart({ method: 'REQUEST', sequence: 5 }, 'CANCEL'), attachment({ start: LATER })]);

    expect(result.start).toEqual(new Date('2025-03-06T14:00:00Z'));
  });

  test('When an absurd SEQUENCE competes with a plausible one, then the plausible one is kept', () => {
    const result = kept([imipPart({ sequence: 99_999_999 }), imipPart({ sequence: 1, start: LATER })]);

    expect(result.start).toEqual(new Date('2025-03-06T14:00:00Z'));
  });

  test('When the copies differ only in completeness, then the one with more properties is kept', () => {
    const result = kept([imipPart({}), imipPart({ extra: ['SUMMARY:Quarterly review', 'LOCATION:Room 1'] })]);

    expect(result.warnings).toEqual([expect.stringContaining('by more properties (6 vs 4)')]);
  });

  test('When one copy lost a component to salvage and the other did not, then the complete copy is kept', () => {
    const broken = vcalendar('REQUEST', ...vevent('UID:q', 'DTSTAMP:20250110T120000Z', 'DTSTART:20250306T090000Z'), ...vevent('UID:q', 'DTSTAMP:20250110T120000Z', 'RECURRENCE-ID:20250313T090000Z', 'DTSTART:20250230T090000Z'));
    const whole = vcalendar('REQUEST', ...vevent('UID:q', 'DTSTAMP:20250110T120000Z', 'DTSTART:20250306T090000Z'), ...vevent('UID:q', 'DTSTAMP:20250110T120000Z', 'RECURRENCE-ID:20250313T090000Z', 'DTSTART:20250313T100000Z'));

    const outcome = parseCalendarSources([{ ...imipPart({}), text: broken }, { ...imipPart({}), label: 'part 3 text/calendar', text: whole }], ENVELOPE, DEFAULT_PARSE_LIMITS);

    expect(outcome.kind === 'parsed' && outcome.invites[0]!.events).toHaveLength(2);
    expect(outcome.kind === 'parsed' && outcome.invites[0]!.warnings).toEqual([expect.stringContaining('by more usable components (2 vs 1)')]);
  });

  test('When the copies are the same but only one part supplies the missing METHOD (Lotus Notes), then that one is kept, silently', () => {
    const result = kept([attachment({ method: '' }), imipPart({ method: '' })]);

    expect(result.method).toBe('REQUEST');
    expect(result.warnings).toEqual(['METHOD_FROM_MIME_PARAM: no METHOD in the object; MIME method=REQUEST used']);
  });

  test('When two VCALENDARs for one UID sit in the same part, then the first is kept as before (a stream, not alternatives)', () => {
    const text = calendar({ sequence: 1 }) + calendar({ sequence: 2, start: LATER });

    const result = kept([{ text, mimeMethod: '', label: 'calendar text' }]);

    expect(result.start).toEqual(new Date('2025-03-06T09:00:00Z'));
    expect(result.warnings).toEqual(['DUPLICATE_UID_DROPPED: another REQUEST for this UID differs; the first was kept']);
  });
});
