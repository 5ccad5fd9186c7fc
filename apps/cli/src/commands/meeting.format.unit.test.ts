import { appointmentV1 } from '@inviteflow/proto-gen';
import { attendanceTable, historyText, meetingCopyText } from './meeting.format';

const copy = appointmentV1.MeetingCopy.fromPartial({
  id: 'MARGE|u1', uid: 'u1', associateId: 'MARGE', ownerAddresses: ['marge@example.org'], ownerTimeZone: 'Europe/Berlin', role: 'organizer', status: 'active',
  organizer: { address: 'marge@example.org', name: 'Marge' }, sequence: 1, version: 3,
  master: {
    start: new Date('2026-03-10T09:00:00Z'), end: new Date('2026-03-10T10:00:00Z'), timeZone: 'Europe/Berlin', summary: 'Planning', version: { sequence: 1 },
    rrule: ['FREQ=WEEKLY;COUNT=4'], exdate: ['2026-03-24T09:00:00.000Z'], conference: { url: 'https://teams.example/j/1', provider: 'teams' },
  },
  tombstones: [{ recurrenceId: '2026-03-17T09:00:00.000Z', version: { sequence: 2 }, mailId: 'm-cancel' }],
  proposals: [{ from: 'guest@partner.example', start: new Date('2026-03-11T09:00:00Z'), end: new Date('2026-03-11T10:00:00Z'), version: { sequence: 1 }, comment: ['Wednesday?'] }],
  cautions: [{ code: 'TIME_ZONE_ASSUMED', detail: 'floating DTSTART' }],
  attendance: [
    { recurrenceId: '', attendees: [{ address: 'guest@partner.example', partstat: 'ACCEPTED', source: 'reply' }, { address: 'homer@example.org', partstat: 'NEEDS-ACTION', source: 'request' }] },
    { recurrenceId: '2026-03-17T09:00:00.000Z', start: new Date('2026-03-17T09:00:00Z'), cancelled: true, attendees: [{ address: 'guest@partner.example', partstat: 'DECLINED', source: 'instance-reply' }] },
  ],
});

describe('meeting show and history for people', () => {
  test('When a copy is shown, then organizer, SEQUENCE, master with RRULE, EXDATE, conference, cancelled instance, proposal and caution are each on a line', () => {
    // Act
    const text = meetingCopyText(copy);
    // Assert
    expect(text).toContain("copy MARGE|u1: the organizer's copy, held by MARGE (marge@example.org; zone Europe/Berlin)");
    expect(text).toContain('organizer: Marge <marge@example.org>   SEQUENCE: 1   status: active   version: 3');
    expect(text).toContain('master: 2026-03-10T09:00:00.000Z – 2026-03-10T10:00:00.000Z (written in Europe/Berlin), SEQUENCE 1');
    expect(text).toContain('RRULE: FREQ=WEEKLY;COUNT=4');
    expect(text).toContain('EXDATE: 2026-03-24T09:00:00.000Z');
    expect(text).toContain('conference: https://teams.example/j/1 (teams)');
    expect(text).toContain('cancelled: instance 2026-03-17T09:00:00.000Z, SEQUENCE 2, mail m-cancel');
    expect(text).toContain('proposal: guest@partner.example proposes 2026-03-11T09:00:00.000Z – 2026-03-11T10:00:00.000Z, SEQUENCE 1: Wednesday?');
    expect(text).toContain('caution: TIME_ZONE_ASSUMED: floating DTSTART');
  });

  test('When attendees answered the series and one occurrence, then the table has a column per instance with replies marked', () => {
    // Act
    const lines = attendanceTable(copy).split('\n').map((l) => l.trim());
    // Assert
    expect(lines[0]).toMatch(/^attendee\s+series\s+2026-03-17T09:00:00.000Z \(cancelled\)$/);
    expect(lines[2]).toMatch(/^guest@partner\.example\s+ACCEPTED\*\s+DECLINED!$/);
    expect(lines[3]).toMatch(/^homer@example\.org\s+NEEDS-ACTION$/);
  });

  test('When the history is shown, then messages are numbered in arrival order with each recipient\'s decisions', () => {
    // Arrange
    const res = appointmentV1.MeetingHistoryResponse.fromPartial({
      uid: 'u1',
      entries: [
        { mailId: 'import:ab', method: 'REQUEST', outcome: 'APPLIED', recordedAt: new Date('2026-03-01T00:00:00Z'), recipients: [{ address: 'marge@example.org', meetingId: 'MARGE|u1', outcome: 'APPLIED', decisions: [{ code: 'APPLIED', reason: 'CREATED', changes: ['CREATED'] }] }] },
        { mailId: 'm2', method: 'REPLY', outcome: 'UNAUTHORISED', arrival: 7, recordedAt: new Date('2026-03-02T00:00:00Z'), recipients: [{ address: 'marge@example.org', outcome: 'UNAUTHORISED', decisions: [{ code: 'UNAUTHORISED', reason: 'NOT_FROM_ATTENDEE', detail: 'sent by x' }] }] },
      ],
    });
    // Act
    const lines = historyText(res).split('\n');
    // Assert
    expect(lines[0]).toBe('meeting u1: 2 messages, in arrival order');
    expect(lines[3]).toMatch(/^1\s+2026-03-01T00:00:00.000Z\s+-\s+REQUEST\s+APPLIED\s+import:ab$/);
    expect(lines[4]).toMatch(/^2\s+2026-03-02T00:00:00.000Z\s+#7\s+REPLY\s+UNAUTHORISED\s+m2$/);
    expect(lines).toContain('     marge@example.org (copy MARGE|u1): APPLIED CREATED [CREATED]');
    expect(lines).toContain('     marge@example.org: UNAUTHORISED NOT_FROM_ATTENDEE (sent by x)');
  });
});
