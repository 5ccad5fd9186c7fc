// RECURRENCE-ID validity (issue 9): a REQUEST override, CANCEL or REPLY for an instant that is not
// an instance of the stored series (expanded in the series' zone) is refused with NO_SUCH_INSTANCE
// instead of creating state; a REQUEST that brings the RDATE for its new instance is not.
import { att, cal, checkCase, ev, LENNY, type Case } from './itip-table.support';

const R0 = cal('REQUEST', ev());
const berlin = (wall: string, range = ''): string => `RECURRENCE-ID${range ? `;RANGE=${range}` : ''};TZID=Europe/Berlin:${wall}`;
const reply = (rid: string): string => cal('REPLY', ev({ start: null, rrule: null, stamp: '20260103T100000Z', rid, attendees: [att(LENNY, 'DECLINED')] }));
const NO_SUCH = { code: 'NO_MATCHING_MEETING', reason: 'NO_SUCH_INSTANCE' } as const;

const cases: Case[] = [
  // REQUEST (RFC 5546 §3.2.2.5: an override modifies an existing instance)
  {
    name: 'an override for a Tuesday of a Monday series is refused and stores nothing',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ seq: 0, rid: berlin('20260310T090000'), start: '20260310T150000' })), ...NO_SUCH,
    lacks: ['RECURRENCE-ID;TZID=Europe/Berlin:20260310T090000', 'DTSTART;TZID=Europe/Berlin:20260310T150000'],
  },
  {
    name: 'an override at the right day but the wrong time is refused',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ seq: 0, rid: berlin('20260309T093000'), start: '20260309T150000' })), ...NO_SUCH,
  },
  {
    name: 'an override after the series\' COUNT is exhausted is refused',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ seq: 0, rid: berlin('20260413T090000'), start: '20260413T150000' })), ...NO_SUCH,
  },
  {
    name: 'zone-aware: after the DST change the 09:00 Berlin instance is 07:00Z, so 08:00Z is no instance',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ seq: 0, rid: 'RECURRENCE-ID:20260330T080000Z', start: '20260330T150000' })), ...NO_SUCH,
  },
  {
    name: 'zone-aware: the same instance named in UTC as 07:00Z is applied',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ seq: 1, rid: 'RECURRENCE-ID:20260330T070000Z', start: '20260330T150000' })), code: 'APPLIED', reason: 'CREATED',
    has: [berlin('20260330T090000'), 'DTSTART;TZID=Europe/Berlin:20260330T150000'],
  },
  {
    name: 'a REQUEST whose master adds an RDATE may override that new instance in the same object',
    owner: 'homer', given: [R0],
    when: cal('REQUEST', ev({ seq: 1, rid: berlin('20260311T090000'), start: '20260311T150000' }), ev({ seq: 1, extra: ['RDATE;TZID=Europe/Berlin:20260311T090000'] })), code: 'APPLIED',
    has: [berlin('20260311T090000'), 'DTSTART;TZID=Europe/Berlin:20260311T150000', 'RDATE:20260311T080000Z'],
  },
  {
    name: 'an override of an RDATE instance already in the series is applied',
    owner: 'homer', given: [cal('REQUEST', ev({ extra: ['RDATE;TZID=Europe/Berlin:20260311T090000'] }))],
    when: cal('REQUEST', ev({ seq: 1, rid: berlin('20260311T090000'), start: '20260311T160000' })), code: 'APPLIED', reason: 'CREATED',
  },
  {
    name: 'an override of an EXDATE\'d occurrence is still an instance of the rule: applied (the organizer may bring it back)',
    owner: 'homer', given: [cal('REQUEST', ev({ extra: ['EXDATE;TZID=Europe/Berlin:20260309T090000'] }))],
    when: cal('REQUEST', ev({ seq: 1, rid: berlin('20260309T090000'), start: '20260309T150000' })), code: 'APPLIED',
  },
  {
    name: 'an override whose series is not stored yet cannot be judged and is kept',
    owner: 'homer', given: [], when: cal('REQUEST', ev({ rid: berlin('20260310T090000'), start: '20260310T150000' })), code: 'APPLIED', reason: 'CREATED',
  },
  {
    name: 'a meeting that does not recur has one instance, its DTSTART: an override for another instant is refused',
    owner: 'homer', given: [cal('REQUEST', ev({ rrule: null }))], when: cal('REQUEST', ev({ seq: 0, rid: berlin('20260309T090000'), start: '20260309T150000' })), ...NO_SUCH,
  },
  {
    name: 'a rule too costly to expand is not judged: the override is kept',
    owner: 'homer', given: [cal('REQUEST', ev({ rrule: 'FREQ=SECONDLY;BYMONTH=3' }))], when: cal('REQUEST', ev({ seq: 1, rid: berlin('20260310T090000'), start: '20260310T150000' })), code: 'APPLIED',
  },
  {
    name: 'an override of a later SEQUENCE than the stored series is not judged: the series may have gained that instance in a version not received yet',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ seq: 1, rid: berlin('20260310T090000'), start: '20260310T150000' })), code: 'APPLIED', reason: 'CREATED',
    has: [berlin('20260310T090000')],
  },
  {
    name: 'such an override is dropped when that series version arrives without the instance (as if refused: order does not matter)',
    owner: 'homer', given: [R0, cal('REQUEST', ev({ seq: 1, rid: berlin('20260310T090000'), start: '20260310T150000' }))],
    when: cal('REQUEST', ev({ seq: 1, stamp: '20260102T100000Z', summary: 'Tasting v2' })), code: 'APPLIED',
    lacks: [berlin('20260310T090000')],
  },
  // CANCEL (RFC 5546 §3.2.5)
  {
    name: 'a CANCEL for an instant that is no instance is refused: no EXDATE, nothing cancelled',
    owner: 'homer', given: [R0], when: cal('CANCEL', ev({ seq: 0, rid: berlin('20260310T090000'), start: null })), ...NO_SUCH,
    lacks: ['EXDATE;TZID=Europe/Berlin:20260310T090000', 'X-INVITEFLOW-CANCELLED:TRUE'],
  },
  {
    name: 'a RANGE=THISANDFUTURE CANCEL from an instant that is no instance is refused',
    owner: 'homer', given: [R0], when: cal('CANCEL', ev({ seq: 0, rid: berlin('20260317T090000', 'THISANDFUTURE'), start: null })), ...NO_SUCH,
    lacks: ['X-INVITEFLOW-CANCELLED-FROM:20260317T080000Z'],
  },
  {
    name: 'a CANCEL of a real instance is still applied',
    owner: 'homer', given: [R0], when: cal('CANCEL', ev({ seq: 1, rid: berlin('20260316T090000'), start: null })), code: 'APPLIED', reason: 'INSTANCE_CANCELLED',
  },
  // REPLY (RFC 5546 §3.2.3)
  {
    name: 'a REPLY for an instant that is no instance is refused and records no answer',
    owner: 'marge', given: [R0], when: reply(berlin('20260310T090000')), sender: [LENNY], ...NO_SUCH,
    lacks: [berlin('20260310T090000')],
  },
  {
    name: 'a REPLY for a real instance is still applied',
    owner: 'marge', given: [R0], when: reply(berlin('20260323T090000')), sender: [LENNY], code: 'APPLIED', reason: 'PARTSTAT',
    has: [berlin('20260323T090000')],
  },
];

describe('RECURRENCE-ID validity: messages about an instance the series does not have', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => checkCase(c));
});
