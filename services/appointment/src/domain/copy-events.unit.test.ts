import type { Decision, Meeting } from '@inviteflow/itip';
import { copyEvents } from './copy-events';

const d = (code: Decision['code'], reason: string, recurrenceId = '', changes: string[] = []): Decision => ({ code, reason, detail: '', recurrenceId, changes });
const component = { version: { sequence: 2, dtstamp: '' } };
const copy = (parts: Partial<Meeting> = {}): Meeting => ({ overrides: {}, tombstones: {}, ...parts }) as Meeting;
const withMaster = copy({ master: component as Meeting['master'] });

describe('copyEvents', () => {
  test('When a REQUEST creates the copy, then one scheduled event is announced', () => {
    expect(copyEvents(undefined, withMaster, [d('APPLIED', 'CREATED', '', ['SUMMARY'])])).toEqual([{ kind: 'scheduled', recurrenceId: '', sequence: 2 }]);
  });

  test('When a CANCEL arrives before its REQUEST, then nothing is scheduled: only a tombstone was kept', () => {
    const tombstoneOnly = copy({ tombstones: { '': {} as Meeting['tombstones'][string] } });
    expect(copyEvents(undefined, tombstoneOnly, [d('APPLIED', 'CANCELLED', '', ['CANCELLED'])])).toEqual([{ kind: 'cancelled', recurrenceId: '', sequence: 0, reason: 'CANCELLED', changes: ['CANCELLED'] }]);
  });

  test('When the REQUEST arrives after such a tombstone with a newer version, then the meeting is scheduled', () => {
    const tombstoneOnly = copy({ tombstones: { '': {} as Meeting['tombstones'][string] } });
    expect(copyEvents(tombstoneOnly, withMaster, [d('APPLIED', 'CREATED')]).map((e) => e.kind)).toEqual(['scheduled']);
  });

  test('When a message changes an existing copy, then each applied decision is one updated or cancelled event', () => {
    const events = copyEvents(withMaster, withMaster, [d('APPLIED', 'UPDATED', '', ['DTSTART']), d('STALE', 'OLDER_VERSION', 'x'), d('APPLIED', 'INSTANCE_CANCELLED', '2026-03-09T08:00:00.000Z', ['CANCELLED'])]);
    expect(events.map((e) => [e.kind, e.recurrenceId])).toEqual([['updated', ''], ['cancelled', '2026-03-09T08:00:00.000Z']]);
  });

  test('When nothing applied (STALE, DUPLICATE, UNAUTHORISED), then nothing is announced', () => {
    expect(copyEvents(withMaster, withMaster, [d('STALE', 'OLDER_VERSION'), d('DUPLICATE', 'SAME_VERSION'), d('UNAUTHORISED', 'ORGANIZER_MISMATCH')])).toEqual([]);
    expect(copyEvents(undefined, undefined, [d('NO_MATCHING_MEETING', 'UNKNOWN_UID')])).toEqual([]);
  });
});
