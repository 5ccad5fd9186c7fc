import type { Attendee, Component, Meeting } from '@inviteflow/itip';
import { appointmentV1 } from '@inviteflow/proto-gen';
import { diaryOf, diaryWindow } from './diary.rpc';
import { attendanceOf, meetingSequence, toMeetingCopy } from './meeting.mapper';

const attendee = (address: string, partstat = 'NEEDS-ACTION'): Attendee => ({
  address, name: '', sentBy: '', partstat, role: 'REQ-PARTICIPANT', rsvp: true, cutype: '', delegatedTo: [], delegatedFrom: [], scheduleAgent: '',
});
const component = (o: Partial<Component> = {}): Component => ({
  recurrenceId: '', range: '', version: { sequence: 0, dtstamp: '2026-03-01T08:00:00.000Z' }, start: '2026-03-10T09:00:00.000Z', end: '2026-03-10T10:00:00.000Z',
  timeZone: 'Europe/Berlin', allDay: false, summary: 'Planning', location: '', description: '', status: '', organizer: { address: 'marge@example.org', name: '', sentBy: '' },
  attendees: [attendee('guest@partner.example'), attendee('homer@example.org')], rrule: [], rdate: [], exdate: [], ...o,
});
const meeting = (o: Partial<Meeting> = {}): Meeting => ({
  id: 'HOMER|u1', uid: 'u1', owner: { associateId: 'HOMER', addresses: ['homer@example.org'], timeZone: 'UTC' }, role: 'attendee', status: 'active',
  organizer: { address: 'marge@example.org', name: '', sentBy: '' }, master: component(), overrides: {}, tombstones: {}, instanceAnswers: {},
  proposals: [], declinedCounters: [], cautions: [], ownAnswers: {}, tentative: true, createdAt: '2026-03-01T08:00:00.000Z', version: 1, ...o,
});
const answer = (partstat: string) => ({ partstat, version: { sequence: 0, dtstamp: '' }, comment: [], delegatedTo: [], mailId: 'm' });

describe('the meeting copy as the API shows it', () => {
  test('When an attendee answered the series and another one occurrence, then attendance gives each instance\'s PARTSTAT and where it came from', () => {
    // Arrange
    const m = meeting({
      master: component({ rrule: ['FREQ=WEEKLY;COUNT=3'], attendees: [{ ...attendee('guest@partner.example'), answer: answer('ACCEPTED') }, attendee('homer@example.org')] }),
      instanceAnswers: { '2026-03-17T09:00:00.000Z': { 'homer@example.org': answer('DECLINED') } },
    });
    // Act
    const rows = attendanceOf(m).map((r) => [r.recurrenceId, r.attendees.map((a) => `${a.address}=${a.partstat}/${a.source}`)]);
    // Assert
    expect(rows).toEqual([
      ['', ['guest@partner.example=ACCEPTED/reply', 'homer@example.org=NEEDS-ACTION/request']],
      ['2026-03-17T09:00:00.000Z', ['guest@partner.example=ACCEPTED/reply', 'homer@example.org=DECLINED/instance-reply']],
    ]);
  });

  test('When a copy holds only overrides, then its SEQUENCE is the highest of them and it maps without a master', () => {
    // Arrange
    const rid = '2026-03-17T09:00:00.000Z';
    const m = meeting({ master: undefined, overrides: { [rid]: component({ recurrenceId: rid, version: { sequence: 3, dtstamp: '' } }) } });
    // Act
    const copy = toMeetingCopy(m);
    // Assert
    expect(meetingSequence(m)).toBe(3);
    expect(copy).toMatchObject({ sequence: 3, master: undefined, overrides: [{ recurrenceId: rid }], role: 'attendee' });
    expect(copy.icalendar).toMatch(/^BEGIN:VCALENDAR/);
  });
});

describe('the diary window', () => {
  const now = new Date('2026-12-02T00:00:00Z');

  test('When no window is asked for, then series use 30 days back to a year ahead and one-off meetings are listed whatever their date', () => {
    // Arrange
    const oneOff = meeting();
    const series = meeting({ id: 'HOMER|u2', uid: 'u2', master: component({ rrule: ['FREQ=WEEKLY'], start: '2026-01-06T09:00:00.000Z', end: '2026-01-06T10:00:00.000Z' }) });
    // Act
    const w = diaryWindow({}, now);
    const { entries } = diaryOf([series, oneOff], w);
    // Assert
    expect([w.from.toISOString(), w.to.toISOString(), w.explicit]).toEqual(['2026-11-02T00:00:00.000Z', '2027-12-02T00:00:00.000Z', false]);
    expect(entries[0]).toMatchObject({ uid: 'u1', status: appointmentV1.DiaryStatus.DIARY_STATUS_TENTATIVE });
    const weekly = entries.filter((e) => e.uid === 'u2');
    expect(weekly[0]!.start!.getTime()).toBeGreaterThanOrEqual(w.from.getTime());
    expect(weekly.every((e) => e.start!.getTime() < w.to.getTime())).toBe(true);
  });

  test('When a window is asked for, then one-off meetings outside it are left out, and from after to is refused', () => {
    // Act
    const w = diaryWindow({ from: new Date('2026-04-01T00:00:00Z') }, now);
    // Assert
    expect(diaryOf([meeting()], w).entries).toEqual([]);
    expect(() => diaryWindow({ from: new Date('2026-04-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') }, now)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
