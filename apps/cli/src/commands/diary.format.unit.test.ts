import { appointmentV1 } from '@inviteflow/proto-gen';
import { diaryStatusName, diaryText, parseDiaryBound } from './diary.format';

const { DiaryStatus } = appointmentV1;

describe('the diary command\'s window and table', () => {
  test('When --from and --to are dates, then --from is that midnight and --to the end of its day (UTC)', () => {
    // Act / Assert
    expect(parseDiaryBound('2026-03-01', '--from').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseDiaryBound('2026-03-31', '--to').toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(parseDiaryBound('2026-03-31T12:30:00+02:00', '--to').toISOString()).toBe('2026-03-31T10:30:00.000Z');
  });

  test('When a bound is not a date or instant, then it is a usage error naming the option', () => {
    // Act / Assert
    expect(() => parseDiaryBound('next week', '--from')).toThrow(expect.objectContaining({ code: 'CLI_USAGE', message: expect.stringMatching(/^--from next week/) }));
    expect(() => parseDiaryBound('2026', '--to')).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }));
  });

  test('When instances of a series and a cancelled meeting are listed, then each row has its status, start and the window is said', () => {
    // Arrange
    const res = appointmentV1.ListDiaryResponse.fromPartial({
      associateId: 'HOMER', from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z'), truncated: true,
      entries: [
        { uid: 'u1', recurrenceId: '2026-03-10T09:00:00.000Z', start: new Date('2026-03-10T09:00:00Z'), end: new Date('2026-03-10T10:00:00Z'), status: DiaryStatus.DIARY_STATUS_ACCEPTED, sequence: 1, summary: 'Weekly', organizer: { address: 'marge@example.org' } },
        { uid: 'u2', start: new Date('2026-03-12T00:00:00Z'), end: new Date('2026-03-13T00:00:00Z'), allDay: true, status: DiaryStatus.DIARY_STATUS_CANCELLED, cautions: [{ code: 'TIME_ZONE_ASSUMED' }] },
      ],
    });
    // Act
    const lines = diaryText('homer@example.org', res).split('\n');
    // Assert
    expect(lines[0]).toMatch(/^start \(UTC\)\s+end \(UTC\)\s+time zone\s+status\s+seq\s+summary\s+organizer\s+recurs\s+cautions\s+uid$/);
    expect(lines[2]).toMatch(/^2026-03-10T09:00:00.000Z\s+2026-03-10T10:00:00.000Z\s+accepted\s+1\s+Weekly\s+marge@example.org\s+yes\s+u1$/);
    expect(lines[3]).toMatch(/^2026-03-12\s+2026-03-13\s+cancelled\s+0\s+TIME_ZONE_ASSUMED\s+u2$/);
    expect(lines[4]).toBe('series expanded 2026-03-01T00:00:00.000Z – 2026-04-01T00:00:00.000Z');
    expect(lines[5]).toMatch(/^note: a series has more instances/);
  });

  test('When the diary is empty, then it says so with the window; every status has its name', () => {
    // Act / Assert
    expect(diaryText('x@example.org', appointmentV1.ListDiaryResponse.fromPartial({}))).toMatch(/^no meetings in the diary of x@example.org/);
    expect([1, 2, 3, 4, 5, 6].map((s) => diaryStatusName(s))).toEqual(['invited', 'tentative', 'accepted', 'declined', 'moved', 'cancelled']);
  });
});
