import type { ParseOutcome } from '@inviteflow/parser-core';
import { eventsV1 } from '@inviteflow/proto-gen';
import { formatOutcome } from './parse-report';

// The human view of `inviteflow parse` (issue 13): the join link with where it came from, and
// warnings about repaired or dropped input set apart from the rest.
const TEAMS = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d';

function outcome(warnings: string[], event: Partial<eventsV1.CalendarEvent>): ParseOutcome {
  const invite = eventsV1.InviteParsed.fromPartial({
    mailId: 'm', method: 'REQUEST', uid: 'u-1', warnings,
    events: [eventsV1.CalendarEvent.fromPartial({ start: new Date('2026-03-16T13:00:00Z'), ...event })],
  });
  return { kind: 'parsed', invites: [invite] };
}

describe('the parse report', () => {
  test('When an event has a join link, then it is shown whole with its provider, source and label, and not again under "also"', () => {
    // Act
    const text = formatOutcome('f.eml', outcome([], {
      onlineMeetingUrl: TEAMS, onlineMeetingProvider: 'teams', onlineMeetingSource: 'CONFERENCE', onlineMeetingLabel: 'Join',
    }));

    // Assert
    expect(text).toContain(`    join link:  ${TEAMS}  (teams, from CONFERENCE, label "Join")`);
    expect(text).not.toMatch(/onlineMeeting/);
  });

  test('When an event has no join link, then no join link line is printed', () => {
    expect(formatOutcome('f.ics', outcome([], {}))).not.toContain('join link:');
  });

  test('When warnings include salvaged and recovered ones, then each group has its own labelled section before the others', () => {
    // Arrange
    const warnings = [
      'TZID_WINDOWS_MAPPED: W. Europe Standard Time read as Europe/Berlin',
      'COMPONENT_DROPPED: VEVENT 2 of 3 (UID b): DTSTART 20260230 is not a date',
      'MIME_REPAIRED: part headers after the calendar text',
      'CALENDAR_EXTRA_ENCODING_REMOVED: base64 inside base64',
    ];

    // Act
    const lines = formatOutcome('f.eml', outcome(warnings, {})).split('\n');

    // Assert
    const from = lines.indexOf('  warnings:');
    expect(lines.slice(from, from + 9)).toEqual([
      '  warnings:',
      '    recovered (damaged MIME or iCalendar repaired, then read):',
      '      - MIME_REPAIRED: part headers after the calendar text',
      '      - CALENDAR_EXTRA_ENCODING_REMOVED: base64 inside base64',
      '    salvaged (unusable parts dropped, the rest kept):',
      '      - COMPONENT_DROPPED: VEVENT 2 of 3 (UID b): DTSTART 20260230 is not a date',
      '    other:',
      '      - TZID_WINDOWS_MAPPED: W. Europe Standard Time read as Europe/Berlin',
      '  master event',
    ]);
  });

  test('When no warning is about recovery, then the warnings are one plain list as before', () => {
    const text = formatOutcome('f.eml', outcome(['TZID_WINDOWS_MAPPED: x'], {}));

    expect(text).toContain('  warnings:\n    - TZID_WINDOWS_MAPPED: x\n  master event');
  });
});
