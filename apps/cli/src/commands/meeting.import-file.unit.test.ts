import { createHash } from 'node:crypto';
import { readImportFile } from './meeting.import-file';

const vevent = (uid: string, extra = ''): string => [
  'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260301T080000Z', 'DTSTART;TZID=Europe/Berlin:20260310T100000', 'DTEND;TZID=Europe/Berlin:20260310T110000',
  'SUMMARY:Planning', 'ORGANIZER:mailto:marge@example.org', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:guest@partner.example', extra, 'END:VEVENT',
].filter(Boolean).join('\r\n');
const calendar = (...events: string[]): Buffer =>
  Buffer.from(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'METHOD:REQUEST', ...events, 'END:VCALENDAR', ''].join('\r\n'));

describe('reading a file for meeting import', () => {
  test('When the file holds one meeting with an override, then its events come back with the file\'s sha256', () => {
    // Arrange
    const bytes = calendar(vevent('u1', 'RRULE:FREQ=WEEKLY;COUNT=3'), vevent('u1', 'RECURRENCE-ID;TZID=Europe/Berlin:20260317T100000'));
    // Act
    const file = readImportFile('/tmp/planning.ics', bytes);
    // Assert
    expect(file).toMatchObject({ uid: 'u1', source: 'planning.ics', sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(file.events.map((e) => e.recurrenceId)).toEqual(['', '2026-03-17T09:00:00.000Z']);
    expect(file.events[0]).toMatchObject({ start: new Date('2026-03-10T09:00:00Z'), rrule: ['FREQ=WEEKLY;COUNT=3'] });
  });

  test('When the file holds two UIDs, then it is refused as a usage error naming both', () => {
    // Act / Assert
    expect(() => readImportFile('two.ics', calendar(vevent('u1'), vevent('u2')))).toThrow(expect.objectContaining({ code: 'CLI_USAGE', message: expect.stringMatching(/holds 2 meetings \(UIDs u1, u2\)/) }));
  });

  test('When the file holds no VEVENT, then it is refused as a usage error', () => {
    // Act / Assert
    expect(() => readImportFile('empty.ics', calendar())).toThrow(expect.objectContaining({ code: 'CLI_USAGE', message: expect.stringMatching(/^empty\.ics: no meeting to import/) }));
  });
});
