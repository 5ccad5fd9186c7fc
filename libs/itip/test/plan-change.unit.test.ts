// planChange (issue 9 point 1): the iTIP messages a local change requires, SEQUENCE bumped for
// significant changes (RFC 5546 §2.1.4), internal associates marked (no mail, domain.md §2).
import { applyMessage, planChange, recordOwnAnswer, toICalendar, type Meeting } from '../src/index';
import { att, cal, CARL, ctxFor, ev, HOMER, LENNY, MARGE, parse, seed } from './itip-table.support';

const NOW = { now: '2026-02-01T12:00:00.000Z' };

const ACTOR_MARGE = { addresses: [MARGE], internalAddresses: [MARGE, HOMER] };
const organizerCopy = (): Meeting => seed('marge', [cal('REQUEST', ev())])!;
const attendeeCopy = (): Meeting => seed('homer', [cal('REQUEST', ev())])!;

describe('planChange', () => {
  test('When the organizer moves the meeting, then SEQUENCE is bumped and the remaining attendees get a REQUEST, associates marked internal', () => {
    const before = organizerCopy();
    const after = { ...before, master: { ...before.master!, start: '2026-03-02T10:00:00.000Z', end: '2026-03-02T11:00:00.000Z' } };
    const plan = planChange(before, after, ACTOR_MARGE, NOW);
    expect(plan.significant).toBe(true);
    expect(plan.next.master!.version.sequence).toBe(1);
    expect(plan.messages.map((m) => [m.method, m.sequence, m.recipients])).toEqual([
      ['REQUEST', 1, [{ address: HOMER, internal: true }, { address: LENNY, internal: false }]],
    ]);
  });

  test('When the organizer moves a meeting an attendee had accepted, then the saved copy no longer counts that answer (RFC 5546 §2.1.4: it answered the old SEQUENCE)', () => {
    const accepted = applyMessage(organizerCopy(), parse(cal('REPLY', ev({ seq: 0, stamp: '20260110T100000Z', start: null, rrule: null, organizer: null, attendees: [att(LENNY, 'ACCEPTED')] })), 'reply-1'), ctxFor('marge', [LENNY])).next!;
    expect(accepted.master!.attendees.find((a) => a.address === LENNY)!.answer?.partstat).toBe('ACCEPTED');
    const moved = { ...accepted, master: { ...accepted.master!, start: '2026-03-02T10:00:00.000Z', end: '2026-03-02T11:00:00.000Z' } };
    const plan = planChange(accepted, moved, ACTOR_MARGE, NOW);
    expect(plan.next.master!.attendees.find((a) => a.address === LENNY)!.answer).toBeUndefined();
  });

  test('When the organizer changes only the LOCATION of an accepted meeting, then the answer stays (a minor change keeps answers)', () => {
    const accepted = applyMessage(organizerCopy(), parse(cal('REPLY', ev({ seq: 0, stamp: '20260110T100000Z', start: null, rrule: null, organizer: null, attendees: [att(LENNY, 'ACCEPTED')] })), 'reply-1'), ctxFor('marge', [LENNY])).next!;
    const plan = planChange(accepted, { ...accepted, master: { ...accepted.master!, location: 'Bakery' } }, ACTOR_MARGE, NOW);
    expect(plan.next.master!.attendees.find((a) => a.address === LENNY)!.answer?.partstat).toBe('ACCEPTED');
  });

  test('When the organizer changes only the LOCATION, then a REQUEST goes out without a SEQUENCE bump', () => {
    const before = organizerCopy();
    const plan = planChange(before, { ...before, master: { ...before.master!, location: 'Bakery' } }, ACTOR_MARGE, NOW);
    expect(plan.significant).toBe(false);
    expect(plan.messages.map((m) => [m.method, m.sequence, m.reason])).toEqual([['REQUEST', 0, 'UPDATE']]);
  });

  test('When the organizer removes an attendee, then the others get a REQUEST and the removed one a CANCEL', () => {
    const before = organizerCopy();
    const after = { ...before, master: { ...before.master!, attendees: before.master!.attendees.filter((a) => a.address !== LENNY) } };
    const plan = planChange(before, after, ACTOR_MARGE, NOW);
    expect(plan.messages.map((m) => [m.method, m.recipients.map((r) => r.address), m.reason])).toEqual([
      ['REQUEST', [HOMER], 'UPDATE'],
      ['CANCEL', [LENNY], 'ATTENDEE_REMOVED'],
    ]);
  });

  test('When the organizer cancels, then everyone gets a CANCEL at a bumped SEQUENCE', () => {
    const before = organizerCopy();
    const plan = planChange(before, { ...before, status: 'cancelled' }, ACTOR_MARGE, NOW);
    expect(plan.messages.map((m) => [m.method, m.sequence, m.recipients.map((r) => r.address)])).toEqual([['CANCEL', 1, [HOMER, LENNY]]]);
    expect(plan.messages[0]!.components[0]!.status).toBe('CANCELLED');
  });

  test('When the organizer cancels, then the plan\'s copy holds the whole-meeting tombstone (SEQUENCE bumped, DTSTAMP now) and a late older REQUEST cannot revive it', () => {
    const before = organizerCopy();
    const { next } = planChange(before, { ...before, status: 'cancelled' }, ACTOR_MARGE, NOW);
    expect(next.tombstones['']).toEqual({ recurrenceId: '', range: '', version: { sequence: 1, dtstamp: NOW.now }, ownerRemoved: false, mailId: '' });
    expect(next.status).toBe('cancelled');
    expect(toICalendar(next)).toContain('X-INVITEFLOW-CANCELLED:TRUE');
    const late = applyMessage(next, parse(cal('REQUEST', ev())), ctxFor('marge', [MARGE]));
    expect(late.decisions.map((d) => `${d.code}/${d.reason}`)).toEqual(['STALE/OLDER_VERSION']);
    expect(late.next!.status).toBe('cancelled');
  });

  test('When the organizer makes a change that is not a cancellation, then no tombstone is added', () => {
    const before = organizerCopy();
    const { next } = planChange(before, { ...before, master: { ...before.master!, summary: 'Renamed' } }, ACTOR_MARGE, NOW);
    expect(next.tombstones).toEqual({});
    expect(next.status).toBe('active');
  });

  test('When an attendee has SCHEDULE-AGENT=CLIENT, then the organizer\'s update is not sent to them (RFC 6638 §7.1)', () => {
    const before = seed('marge', [cal('REQUEST', ev({ attendees: [att(HOMER), att(CARL, 'NEEDS-ACTION', ';SCHEDULE-AGENT=CLIENT')] }))])!;
    const plan = planChange(before, { ...before, master: { ...before.master!, summary: 'New title' } }, ACTOR_MARGE, NOW);
    expect(plan.messages.flatMap((m) => m.recipients.map((r) => r.address))).toEqual([HOMER]);
  });

  test('When the owner accepts a series, then one REPLY without RECURRENCE-ID goes to the organizer and the copy gets no exception (nextcloud/server#45497)', () => {
    const before = attendeeCopy();
    const after = recordOwnAnswer(before, 'ACCEPTED', '', '2026-02-01T12:00:00.000Z');
    const plan = planChange(before, after, { addresses: [HOMER, 'h.simpson@example.org'], internalAddresses: [HOMER] }, NOW);
    expect(plan.messages).toHaveLength(1);
    const [reply] = plan.messages;
    expect([reply!.method, reply!.recipients, reply!.components[0]!.recurrenceId, reply!.components[0]!.attendees.map((a) => [a.address, a.partstat])]).toEqual([
      'REPLY', [{ address: MARGE, internal: false }], '', [[HOMER, 'ACCEPTED']],
    ]);
    expect(Object.keys(after.overrides)).toEqual([]);
    expect(toICalendar(after)).not.toContain('RECURRENCE-ID');
    expect(after.tentative).toBe(false);
  });

  test('When the owner declines one occurrence, then the REPLY names that occurrence only', () => {
    const before = attendeeCopy();
    const after = recordOwnAnswer(before, 'DECLINED', '2026-03-09T08:00:00.000Z', '2026-02-01T12:00:00.000Z');
    const plan = planChange(before, after, { addresses: [HOMER], internalAddresses: [] }, NOW);
    expect(plan.messages.map((m) => [m.method, m.components[0]!.recurrenceId, m.components[0]!.rrule])).toEqual([['REPLY', '2026-03-09T08:00:00.000Z', []]]);
  });
});
