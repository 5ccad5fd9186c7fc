// The CRM's side of the broker (issue 10): the organizer's and attendees' changes planned by
// planChange / planCounter / planDeclineCounter, and each planned message applied to the other
// party's copy through inviteOf → applyMessage, the path associates' copies take in the service.
import {
  acceptProposal, applyMessage, componentOf, findProposal, inviteOf, itipCalendar, planChange, planCounter, planDeclineCounter, recordOwnAnswer, rruleProblem,
  type ItipMessage, type Meeting,
} from '../src/index';
import { cal, ctxFor, ev, HOMER, LENNY, MARGE, seed, unfold } from './itip-table.support';

const NOW = '2026-02-01T12:00:00.000Z';
const LATER = '2026-02-02T12:00:00.000Z';
const MONDAY_2 = '2026-03-09T08:00:00.000Z';
const ACTOR_MARGE = { addresses: [MARGE], internalAddresses: [MARGE, HOMER] };
const ACTOR_HOMER = { addresses: [HOMER, 'h.simpson@example.org'], internalAddresses: [HOMER, MARGE] };
const organizerCopy = (): Meeting => seed('marge', [cal('REQUEST', ev())])!;
const attendeeCopy = (): Meeting => seed('homer', [cal('REQUEST', ev())])!;

/** The planned message applied to the other party's copy, as the service applies it to an associate. */
function deliver(msg: ItipMessage, to: 'homer' | 'marge', stored: Meeting | undefined, sender: string[]) {
  return applyMessage(stored, inviteOf(msg, { mailId: 'crm:test', from: sender[0]!, to: [] }), ctxFor(to, sender));
}

const withMaster = (m: Meeting, patch: Partial<NonNullable<Meeting['master']>>): Meeting => ({ ...m, master: { ...m.master!, ...patch } });

interface OrganizerCase {
  name: string;
  change: (m: Meeting) => Meeting;
  sequence: number;
  messages: [string, string, string[]][];
  /** What the attendee's copy decides when the REQUEST/CANCEL reaches it. */
  attendee: string[];
}

const ORGANIZER_CASES: OrganizerCase[] = [
  {
    name: 'a description-only update keeps SEQUENCE and is newer by DTSTAMP alone',
    change: (m) => withMaster(m, { description: 'Bring cake' }), sequence: 0,
    messages: [['REQUEST', 'UPDATE', [HOMER, LENNY]]], attendee: ['APPLIED/UPDATED'],
  },
  {
    name: 'a time move bumps SEQUENCE (RFC 5546 §2.1.4)',
    change: (m) => withMaster(m, { start: '2026-03-02T09:00:00.000Z', end: '2026-03-02T10:00:00.000Z' }), sequence: 1,
    messages: [['REQUEST', 'SIGNIFICANT_CHANGE', [HOMER, LENNY]]], attendee: ['APPLIED/UPDATED'],
  },
  {
    name: 'cancelling one instance sends a CANCEL naming that RECURRENCE-ID only',
    change: (m) => ({ ...m, tombstones: { ...m.tombstones, [MONDAY_2]: { recurrenceId: MONDAY_2, range: '', version: { sequence: 0, dtstamp: '' }, ownerRemoved: false, mailId: '' } } }), sequence: 1,
    messages: [['CANCEL', 'INSTANCE_CANCELLED', [HOMER, LENNY]]], attendee: ['APPLIED/INSTANCE_CANCELLED'],
  },
  {
    name: 'moving one instance makes an override at a bumped SEQUENCE',
    change: (m) => ({ ...m, overrides: { [MONDAY_2]: { ...m.master!, recurrenceId: MONDAY_2, rrule: [], start: '2026-03-09T12:00:00.000Z', end: '2026-03-09T13:00:00.000Z' } } }), sequence: 1,
    messages: [['REQUEST', 'SIGNIFICANT_CHANGE', [HOMER, LENNY]]], attendee: ['APPLIED/UPDATED', 'APPLIED/CREATED'],
  },
];

describe('the organizer changes a meeting in the CRM', () => {
  test.each(ORGANIZER_CASES)('When $name, then the plan and the attendee copy agree', (c) => {
    // Arrange
    const before = organizerCopy();
    // Act
    const plan = planChange(before, c.change(before), ACTOR_MARGE, { now: NOW });
    const atHomer = deliver(plan.messages[0]!, 'homer', attendeeCopy(), [MARGE]);
    // Assert
    expect(plan.next.master!.version.sequence).toBe(c.sequence);
    expect(plan.messages.map((m) => [m.method, m.reason, m.recipients.map((r) => r.address)])).toEqual(c.messages);
    expect(plan.messages.every((m) => m.components.every((k) => k.version.dtstamp === NOW))).toBe(true);
    expect(atHomer.decisions.map((d) => `${d.code}/${d.reason}`)).toEqual(c.attendee);
  });

  test('When one instance is cancelled, then the CANCEL carries that RECURRENCE-ID alone, the series keeps it as EXDATE, and a later update still excludes it', () => {
    // Arrange
    const before = organizerCopy();
    const tombstone = { recurrenceId: MONDAY_2, range: '' as const, version: { sequence: 0, dtstamp: '' }, ownerRemoved: false, mailId: '' };
    // Act
    const plan = planChange(before, { ...before, tombstones: { [MONDAY_2]: tombstone } }, ACTOR_MARGE, { now: NOW });
    const ics = unfold(itipCalendar(plan.messages[0]!));
    const later = planChange(plan.next, withMaster(plan.next, { description: 'Moved room' }), ACTOR_MARGE, { now: LATER });
    // Assert
    expect(ics.filter((l) => l.startsWith('RECURRENCE-ID'))).toEqual(['RECURRENCE-ID;TZID=Europe/Berlin:20260309T090000']);
    expect(ics).not.toContain('RRULE:FREQ=WEEKLY;COUNT=6');
    expect(ics).toContain('STATUS:CANCELLED');
    expect(ics).toContain('SEQUENCE:1');
    expect(plan.next.master!.exdate).toEqual([MONDAY_2]);
    expect(plan.next.tombstones[MONDAY_2]!.version).toEqual({ sequence: 1, dtstamp: NOW });
    expect(later.messages.map((m) => [m.method, m.sequence])).toEqual([['REQUEST', 1]]);
    expect(unfold(itipCalendar(later.messages[0]!))).toContain('EXDATE;TZID=Europe/Berlin:20260309T090000');
  });
});

interface AnswerCase {
  name: string;
  partstat: string;
  rid: string;
  comment?: string;
  organizer: string[];
  has: string[];
}

const ANSWER_CASES: AnswerCase[] = [
  { name: 'accepts the series', partstat: 'ACCEPTED', rid: '', organizer: ['APPLIED/PARTSTAT'], has: ['PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:homer@example.org'] },
  { name: 'declines one occurrence with a comment', partstat: 'DECLINED', rid: MONDAY_2, comment: 'Dentist', organizer: ['APPLIED/PARTSTAT'], has: ['RECURRENCE-ID;TZID=Europe/Berlin:20260309T090000', 'COMMENT:Dentist', 'DTSTART;TZID=Europe/Berlin:20260309T090000'] },
  { name: 'answers tentative', partstat: 'TENTATIVE', rid: '', organizer: ['APPLIED/PARTSTAT'], has: ['METHOD:REPLY'] },
];

describe('an associate answers an invitation in the CRM', () => {
  test.each(ANSWER_CASES)('When the attendee $name, then one REPLY goes to the organizer and applies to the organizer\'s copy', (c) => {
    // Arrange
    const before = attendeeCopy();
    // Act
    const plan = planChange(before, recordOwnAnswer(before, c.partstat, c.rid, NOW), ACTOR_HOMER, { now: NOW, ...(c.comment ? { comment: c.comment } : {}) });
    const atMarge = deliver(plan.messages[0]!, 'marge', organizerCopy(), ACTOR_HOMER.addresses);
    // Assert
    expect(plan.messages.map((m) => [m.method, m.recipients])).toEqual([['REPLY', [{ address: MARGE, internal: true }]]]);
    expect(atMarge.decisions.map((d) => `${d.code}/${d.reason}`)).toEqual(c.organizer);
    for (const text of c.has) expect(unfold(itipCalendar(plan.messages[0]!)).join('\n')).toContain(text);
  });

  test('When the attendee changes an answer to the same SEQUENCE, then the second REPLY is newer by DTSTAMP and replaces the first', () => {
    // Arrange
    const first = recordOwnAnswer(attendeeCopy(), 'ACCEPTED', '', NOW);
    const accepted = planChange(attendeeCopy(), first, ACTOR_HOMER, { now: NOW });
    const atMarge = deliver(accepted.messages[0]!, 'marge', organizerCopy(), ACTOR_HOMER.addresses).next!;
    // Act
    const declined = planChange(first, recordOwnAnswer(first, 'DECLINED', '', LATER), ACTOR_HOMER, { now: LATER });
    const result = deliver(declined.messages[0]!, 'marge', atMarge, ACTOR_HOMER.addresses);
    // Assert
    expect(result.decisions.map((d) => d.code)).toEqual(['APPLIED']);
    expect(result.next!.master!.attendees.find((a) => a.address === HOMER)!.answer!.partstat).toBe('DECLINED');
  });
});

describe('counter-proposals from the CRM', () => {
  const proposal = { recurrenceId: '', start: '2026-03-02T10:00:00.000Z', end: '2026-03-02T11:00:00.000Z', location: '', comment: 'Later, please' };

  test('When the attendee proposes a new time, then a COUNTER reaches the organizer\'s copy as a proposal, and accepting it sends a REQUEST at a bumped SEQUENCE with the proposed times', () => {
    // Arrange
    const counter = planCounter(attendeeCopy(), proposal, ACTOR_HOMER.addresses, NOW)!;
    const withProposal = deliver(counter, 'marge', organizerCopy(), ACTOR_HOMER.addresses).next!;
    // Act
    const accepted = acceptProposal(withProposal, findProposal(withProposal, HOMER, '')!)!;
    const plan = planChange(withProposal, accepted, ACTOR_MARGE, { now: LATER });
    // Assert
    expect([counter.method, counter.recipients.map((r) => r.address), counter.comment]).toEqual(['COUNTER', [MARGE], ['Later, please']]);
    expect(withProposal.proposals.map((p) => [p.from, p.start, p.comment])).toEqual([[HOMER, proposal.start, ['Later, please']]]);
    expect(plan.messages.map((m) => [m.method, m.sequence, m.reason])).toEqual([['REQUEST', 1, 'SIGNIFICANT_CHANGE']]);
    expect([plan.next.master!.start, plan.next.proposals]).toEqual([proposal.start, []]);
  });

  test('When the organizer declines the proposal, then a DECLINECOUNTER reaches the proposer\'s copy and the proposal is settled', () => {
    // Arrange
    const counter = planCounter(attendeeCopy(), proposal, ACTOR_HOMER.addresses, NOW)!;
    const withProposal = deliver(counter, 'marge', organizerCopy(), ACTOR_HOMER.addresses).next!;
    // Act
    const declined = planDeclineCounter(withProposal, findProposal(withProposal, HOMER, '')!, 'No room then', LATER)!;
    const atHomer = deliver(declined.message, 'homer', attendeeCopy(), [MARGE]);
    // Assert
    expect([declined.message.method, declined.message.recipients.map((r) => r.address), declined.next.proposals]).toEqual(['DECLINECOUNTER', [HOMER], []]);
    expect(atHomer.decisions.map((d) => `${d.code}/${d.reason}`)).toEqual(['APPLIED/COUNTER_DECLINED']);
    expect(atHomer.next!.declinedCounters[0]!.comment).toEqual(['No room then']);
  });

  test('When the owner is not among the attendees, then no COUNTER is planned', () => {
    expect(planCounter(attendeeCopy(), proposal, ['nobody@example.org'], NOW)).toBeUndefined();
  });
});

describe('inviteOf, the inverse of componentOf', () => {
  test('When a stored component is turned into a CalendarEvent and read back, then it is the same component', () => {
    // Arrange
    const master = { ...organizerCopy().master!, conference: { url: 'https://meet.example/x', provider: 'conference' }, description: 'Agenda' };
    // Act
    const invite = inviteOf({ method: 'REQUEST', uid: 'u', sequence: 0, recipients: [], components: [master], reason: 'UPDATE' }, { mailId: 'm', from: MARGE, to: [HOMER] });
    const back = componentOf(invite.events[0]!, 'UTC');
    // Assert
    expect(back.component).toEqual(master);
    expect(back.cautions).toEqual([]);
    expect([invite.method, invite.mail!.from]).toEqual(['REQUEST', MARGE]);
  });
});

describe('rruleProblem: the RRULE a booking may carry (RFC 5545 §3.3.10)', () => {
  test.each([
    ['FREQ=WEEKLY;COUNT=6', undefined],
    ['FREQ=MONTHLY;BYDAY=1MO;UNTIL=20261231T000000Z', undefined],
    ['BOGUS', '"BOGUS" is not NAME=VALUE'],
    ['COUNT=3', 'FREQ is required'],
    ['FREQ=SOMETIMES', 'invalid frequency'],
    ['FREQ=WEEKLY;FOO=1', 'FOO is not an RRULE part'],
    ['FREQ=WEEKLY;COUNT=2;UNTIL=20261231T000000Z', 'COUNT and UNTIL'],
    ['FREQ=WEEKLY;BYDAY=XX', 'invalid BYDAY value'],
    ['FREQ=SECONDLY;BYMONTH=2', 'filtered by date parts'],
  ])('When the rule is %s, then the problem is %s', (rule, problem) => {
    const found = rruleProblem(rule);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
