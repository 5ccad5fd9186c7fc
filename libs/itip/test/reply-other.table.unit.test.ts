// REPLY, COUNTER, DECLINECOUNTER, REFRESH and ADD (issue 9 point 3), as stored iCalendar +
// incoming iCalendar → decision + stored iCalendar.
import { att, cal, checkCase, CARL, ev, HOMER, LENNY, MARGE, type Case } from './itip-table.support';

const R0 = cal('REQUEST', ev());
const RID_0309 = 'RECURRENCE-ID;TZID=Europe/Berlin:20260309T090000';
const reply = (partstat: string, e: Parameters<typeof ev>[0] = {}, who = LENNY, params = ''): string =>
  cal('REPLY', ev({ start: null, rrule: null, stamp: '20260103T100000Z', attendees: [att(who, partstat, params)], ...e }));
const LENNY_ACCEPTED = 'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:lenny@example.net';
const LENNY_OPEN = 'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:lenny@example.net';

const cases: Case[] = [
  {
    name: 'a REPLY from the attendee sets their PARTSTAT on the organizer\'s copy',
    owner: 'marge', given: [R0], when: reply('ACCEPTED'), sender: [LENNY], code: 'APPLIED', reason: 'PARTSTAT',
    has: [LENNY_ACCEPTED, 'SEQUENCE:0'],
  },
  {
    name: 'an Outlook REPLY without ORGANIZER is matched by UID (nextcloud/server#53948)',
    owner: 'marge', given: [R0], when: reply('ACCEPTED', { organizer: null }), sender: [LENNY], code: 'APPLIED',
    has: [LENNY_ACCEPTED],
  },
  {
    name: 'a REPLY for one occurrence sets that occurrence only',
    owner: 'marge', given: [R0], when: reply('DECLINED', { rid: RID_0309 }), sender: [LENNY], code: 'APPLIED',
    has: [LENNY_OPEN, RID_0309, 'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=DECLINED;RSVP=TRUE:mailto:lenny@example.net', 'DTSTART;TZID=Europe/Berlin:20260309T090000'],
  },
  {
    name: 'a REPLY whose RECURRENCE-ID is in UTC matches the occurrence written in the series\' zone',
    owner: 'marge', given: [R0, cal('REQUEST', ev({ rid: RID_0309, start: '20260309T150000', stamp: '20260102T100000Z' }))],
    when: reply('ACCEPTED', { rid: 'RECURRENCE-ID:20260309T080000Z' }), sender: [LENNY], code: 'APPLIED',
    has: [RID_0309, 'DTSTART;TZID=Europe/Berlin:20260309T150000', LENNY_ACCEPTED], lacks: ['RECURRENCE-ID:20260309T080000Z'],
  },
  {
    name: 'a REPLY from someone never invited is UNSOLICITED and adds nobody',
    owner: 'marge', given: [R0], when: reply('ACCEPTED', {}, CARL), sender: [CARL], code: 'UNSOLICITED',
    lacks: ['ATTENDEE;PARTSTAT=ACCEPTED:mailto:carl@example.net'],
  },
  {
    name: 'a REPLY about another attendee is UNAUTHORISED',
    owner: 'marge', given: [R0], when: reply('DECLINED'), sender: [CARL], code: 'UNAUTHORISED', reason: 'NOT_FROM_ATTENDEE',
    has: [LENNY_OPEN],
  },
  {
    name: 'a REPLY sent by the attendee\'s SENT-BY is applied',
    owner: 'marge', given: [R0], when: reply('TENTATIVE', {}, LENNY, ';SENT-BY="mailto:squishee@example.net"'), sender: ['squishee@example.net'], code: 'APPLIED',
    has: ['ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=TENTATIVE;RSVP=TRUE:mailto:lenny@example.net'],
  },
  {
    name: 'a REPLY naming an alias of the invited attendee is applied to them',
    owner: 'marge', given: [R0], when: reply('ACCEPTED', {}, 'lenny.leonard@example.net'), sender: [LENNY, 'lenny.leonard@example.net'], code: 'APPLIED',
    has: [LENNY_ACCEPTED],
  },
  {
    name: 'an attendee\'s REPLY that raised SEQUENCE does not raise the copy\'s (tutao/tutanota#2807)',
    owner: 'marge', given: [R0], when: reply('ACCEPTED', { seq: 4 }), sender: [LENNY], code: 'APPLIED',
    has: ['SEQUENCE:0', LENNY_ACCEPTED], lacks: ['SEQUENCE:4'],
  },
  {
    name: 'a REPLY with a lower SEQUENCE than the copy is STALE',
    owner: 'marge', given: [cal('REQUEST', ev({ seq: 2 }))], when: reply('ACCEPTED', { seq: 1 }), sender: [LENNY], code: 'STALE', reason: 'ANSWERS_OLDER_VERSION',
    has: [LENNY_OPEN],
  },
  {
    name: 'the same REPLY twice is DUPLICATE',
    owner: 'marge', given: [R0, [reply('ACCEPTED'), [LENNY]]], when: reply('ACCEPTED'), sender: [LENNY], code: 'DUPLICATE',
  },
  {
    name: 'an older REPLY than the stored answer is STALE',
    owner: 'marge', given: [R0, [reply('ACCEPTED', { stamp: '20260105T100000Z' }), [LENNY]]], when: reply('DECLINED'), sender: [LENNY], code: 'STALE', reason: 'OLDER_VERSION',
    has: [LENNY_ACCEPTED],
  },
  {
    name: 'DELEGATED with DELEGATED-TO adds the delegate',
    owner: 'marge', given: [R0], when: reply('DELEGATED', {}, LENNY, ';DELEGATED-TO="mailto:carl@example.net"'), sender: [LENNY], code: 'APPLIED',
    has: [
      'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=DELEGATED;RSVP=TRUE;DELEGATED-TO="mailto:carl@example.net":mailto:lenny@example.net',
      'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;DELEGATED-FROM="mailto:lenny@example.net":mailto:carl@example.net',
    ],
  },
  {
    name: 'the delegate may then answer',
    owner: 'marge', given: [R0, [reply('DELEGATED', {}, LENNY, ';DELEGATED-TO="mailto:carl@example.net"'), [LENNY]]], when: reply('ACCEPTED', { stamp: '20260104T100000Z' }, CARL), sender: [CARL], code: 'APPLIED',
    has: ['ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE;DELEGATED-FROM="mailto:lenny@example.net":mailto:carl@example.net'],
  },
  {
    name: 'a REPLY\'s COMMENT is kept',
    owner: 'marge', given: [R0], when: reply('DECLINED', { extra: ['COMMENT:Allergic to cake'] }), sender: [LENNY], code: 'APPLIED',
    has: ['X-INVITEFLOW-REPLY-COMMENT;ATTENDEE="mailto:lenny@example.net":Allergic to cake'],
  },
  {
    name: 'a REPLY to an unknown UID is NO_MATCHING_MEETING',
    owner: 'marge', given: [], when: reply('ACCEPTED'), sender: [LENNY], code: 'NO_MATCHING_MEETING', reason: 'UNKNOWN_UID',
  },
  {
    name: 'a REPLY on an attendee\'s copy is IGNORED',
    owner: 'homer', given: [R0], when: reply('ACCEPTED'), sender: [LENNY], code: 'IGNORED', reason: 'NOT_ORGANIZER_COPY',
  },
  {
    name: 'a REPLY for an instance when only that instance is stored updates it',
    owner: 'marge', given: [cal('REQUEST', ev({ rid: RID_0309, start: '20260309T090000' }))], when: reply('ACCEPTED', { rid: RID_0309 }), sender: [LENNY], code: 'APPLIED',
    has: [RID_0309, LENNY_ACCEPTED],
  },
  {
    name: 'a REPLY for an instance nobody stored is NO_MATCHING_MEETING',
    owner: 'marge', given: [cal('REQUEST', ev({ rid: RID_0309, start: '20260309T090000' }))], when: reply('ACCEPTED', { rid: 'RECURRENCE-ID;TZID=Europe/Berlin:20260316T090000' }), sender: [LENNY], code: 'NO_MATCHING_MEETING', reason: 'UNKNOWN_INSTANCE',
  },
  {
    name: 'a REPLY to a meeting cancelled at a higher SEQUENCE is STALE',
    owner: 'marge', given: [R0, cal('CANCEL', ev({ seq: 1 }))], when: reply('ACCEPTED'), sender: [LENNY], code: 'STALE',
  },
  {
    name: 'a REPLY for a cancelled occurrence is STALE',
    owner: 'marge', given: [R0, cal('CANCEL', ev({ seq: 1, rid: RID_0309, start: null }))], when: reply('ACCEPTED', { rid: RID_0309 }), sender: [LENNY], code: 'STALE',
  },
  // COUNTER, DECLINECOUNTER, REFRESH, ADD
  {
    name: 'a COUNTER is stored as a proposal on the organizer\'s copy',
    owner: 'marge', given: [R0], when: cal('COUNTER', ev({ rrule: null, start: '20260302T150000', attendees: [att(LENNY, 'NEEDS-ACTION')] })), sender: [LENNY], code: 'APPLIED', reason: 'PROPOSAL_STORED',
    has: ['X-INVITEFLOW-PROPOSAL;FROM="mailto:lenny@example.net":20260302T140000Z/20260302T150000Z', 'DTSTART;TZID=Europe/Berlin:20260302T090000'],
  },
  {
    name: 'a COUNTER from someone never invited is UNSOLICITED',
    owner: 'marge', given: [R0], when: cal('COUNTER', ev({ rrule: null, attendees: [att(CARL)] })), sender: [CARL], code: 'UNSOLICITED',
  },
  {
    name: 'a COUNTER on an attendee\'s copy is IGNORED',
    owner: 'homer', given: [R0], when: cal('COUNTER', ev({ rrule: null, attendees: [att(LENNY)] })), sender: [LENNY], code: 'IGNORED',
  },
  {
    name: 'a DECLINECOUNTER is recorded on the attendee\'s copy',
    owner: 'homer', given: [R0], when: cal('DECLINECOUNTER', ev({ start: null, rrule: null, attendees: [att(HOMER)], extra: ['COMMENT:No'] })), code: 'APPLIED', reason: 'COUNTER_DECLINED',
    has: ['X-INVITEFLOW-COUNTER-DECLINED:0'],
  },
  {
    name: 'a DECLINECOUNTER from someone else than the organizer is UNAUTHORISED',
    owner: 'homer', given: [R0], when: cal('DECLINECOUNTER', ev({ start: null, rrule: null, organizer: 'mallory@example.net', attendees: [att(HOMER)] })), sender: ['mallory@example.net'], code: 'UNAUTHORISED',
  },
  {
    name: 'a REFRESH asks for the current REQUEST to be re-sent to that attendee',
    owner: 'marge', given: [R0], when: cal('REFRESH', ev({ start: null, rrule: null, attendees: [att(LENNY)] })), sender: [LENNY], code: 'APPLIED', reason: 'REFRESH_ANSWERED',
    outbound: { method: 'REQUEST', to: [LENNY] },
  },
  {
    name: 'a REFRESH from someone never invited sends nothing',
    owner: 'marge', given: [R0], when: cal('REFRESH', ev({ start: null, rrule: null, attendees: [att(CARL)] })), sender: [CARL], code: 'UNSOLICITED',
  },
  {
    name: 'a REFRESH for an attendee with SCHEDULE-AGENT=CLIENT is left to their client',
    owner: 'marge', given: [cal('REQUEST', ev({ attendees: [att(LENNY, 'NEEDS-ACTION', ';SCHEDULE-AGENT=CLIENT')] }))], when: cal('REFRESH', ev({ start: null, rrule: null, attendees: [att(LENNY)] })), sender: [LENNY], code: 'IGNORED', reason: 'SCHEDULE_AGENT_CLIENT',
  },
  {
    name: 'an ADD adds an instance to the series',
    owner: 'homer', given: [R0], when: cal('ADD', ev({ seq: 0, stamp: '20260104T100000Z', rrule: null, start: '20260420T090000' })), code: 'APPLIED', reason: 'INSTANCE_ADDED',
    has: ['RDATE:20260420T070000Z', 'X-INVITEFLOW-ADDED:TRUE', 'RRULE:FREQ=WEEKLY;COUNT=6'],
  },
  {
    name: 'an ADD for an unknown series asks the organizer for a REFRESH',
    owner: 'homer', given: [], when: cal('ADD', ev({ rrule: null, start: '20260420T090000' })), code: 'NO_MATCHING_MEETING',
    outbound: { method: 'REFRESH', to: [MARGE] },
  },
];

describe('iTIP REPLY, COUNTER, DECLINECOUNTER, REFRESH and ADD, as stored iCalendar + incoming iCalendar → stored iCalendar', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => checkCase(c));
});
