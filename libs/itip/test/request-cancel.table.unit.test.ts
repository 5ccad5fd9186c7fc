// REQUEST and CANCEL on an attendee's copy (issue 9 point 3), as stored iCalendar + incoming
// iCalendar → decision + stored iCalendar.
import { att, cal, checkCase, ev, HOMER, LENNY, MARGE, type Case } from './itip-table.support';

const R0 = cal('REQUEST', ev());
const RID_0309 = 'RECURRENCE-ID;TZID=Europe/Berlin:20260309T090000';

const cases: Case[] = [
  {
    name: 'an unknown UID gives the recipient a TENTATIVE attendee copy',
    owner: 'homer', given: [], when: R0, code: 'APPLIED', reason: 'CREATED',
    ics: [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//inviteflow//itip//EN', 'X-INVITEFLOW-ROLE:attendee', 'X-INVITEFLOW-TENTATIVE:TRUE',
      'BEGIN:VEVENT', 'UID:tasting-1', 'SEQUENCE:0', 'DTSTAMP:20260101T100000Z',
      'DTSTART;TZID=Europe/Berlin:20260302T090000', 'DTEND;TZID=Europe/Berlin:20260302T100000', 'RRULE:FREQ=WEEKLY;COUNT=6',
      'SUMMARY:Tasting', 'ORGANIZER;CN=Marge:mailto:marge@example.org',
      'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:homer@example.org',
      'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:lenny@example.net',
      'END:VEVENT', 'END:VCALENDAR',
    ],
  },
  {
    name: 'mail to an alias counts although the ATTENDEE line names another of the owner\'s addresses',
    owner: 'homer', given: [], when: cal('REQUEST', ev({ attendees: [att('h.simpson@example.org')] })), code: 'APPLIED', reason: 'CREATED',
    has: ['X-INVITEFLOW-ROLE:attendee', 'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:h.simpson@example.org'],
  },
  {
    name: 'a REQUEST whose ORGANIZER is the owner seeds the organizer\'s copy',
    owner: 'marge', given: [], when: R0, code: 'APPLIED', reason: 'CREATED',
    has: ['X-INVITEFLOW-ROLE:organizer'], lacks: ['X-INVITEFLOW-TENTATIVE:TRUE'],
  },
  {
    name: 'a higher SEQUENCE updates the copy',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ seq: 1, start: '20260302T100000' })), code: 'APPLIED', reason: 'UPDATED',
    has: ['SEQUENCE:1', 'DTSTART;TZID=Europe/Berlin:20260302T100000'],
  },
  {
    name: 'the same SEQUENCE with a later DTSTAMP updates the copy',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ stamp: '20260102T100000Z', summary: 'Cake tasting' })), code: 'APPLIED',
    has: ['SUMMARY:Cake tasting', 'DTSTAMP:20260102T100000Z'],
  },
  {
    name: 'the same SEQUENCE with an earlier DTSTAMP is STALE',
    owner: 'homer', given: [cal('REQUEST', ev({ stamp: '20260102T100000Z' }))], when: cal('REQUEST', ev({ summary: 'Old title' })), code: 'STALE', reason: 'OLDER_VERSION',
    lacks: ['SUMMARY:Old title'],
  },
  {
    name: 'a lower SEQUENCE is STALE and not applied',
    owner: 'homer', given: [cal('REQUEST', ev({ seq: 2 }))], when: cal('REQUEST', ev({ seq: 1, start: '20260302T110000' })), code: 'STALE', reason: 'OLDER_VERSION',
    has: ['SEQUENCE:2', 'DTSTART;TZID=Europe/Berlin:20260302T090000'],
  },
  {
    name: 'the identical REQUEST again is DUPLICATE',
    owner: 'homer', given: [R0], when: R0, code: 'DUPLICATE', reason: 'SAME_VERSION',
  },
  {
    name: 'a time change after the owner answered makes the answer moved',
    owner: 'homer', given: [R0], answered: ['ACCEPTED', ''], when: cal('REQUEST', ev({ seq: 1, start: '20260302T140000' })), code: 'APPLIED',
    has: ['X-INVITEFLOW-OWN-PARTSTAT;MOVED=TRUE:ACCEPTED'],
  },
  {
    name: 'a location change after the owner answered keeps the answer (not significant)',
    owner: 'homer', given: [R0], answered: ['ACCEPTED', ''], when: cal('REQUEST', ev({ stamp: '20260102T100000Z', extra: ['LOCATION:Bakery'] })), code: 'APPLIED',
    has: ['LOCATION:Bakery', 'X-INVITEFLOW-OWN-PARTSTAT:ACCEPTED'],
  },
  {
    name: 'an organizer update keeps the auto-created tentative marking (nextcloud/mail#13504)',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ seq: 1, summary: 'Tasting v2' })), code: 'APPLIED',
    has: ['X-INVITEFLOW-TENTATIVE:TRUE'],
  },
  {
    name: 'a REQUEST with one changed occurrence keeps the master (sabre-io/vobject#365)',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ seq: 1, rid: RID_0309, start: '20260309T150000', summary: 'Tasting (late)' })), code: 'APPLIED',
    has: ['RRULE:FREQ=WEEKLY;COUNT=6', 'SUMMARY:Tasting', RID_0309, 'DTSTART;TZID=Europe/Berlin:20260309T150000', 'SUMMARY:Tasting (late)'],
  },
  {
    name: 'an override older than the stored series is STALE',
    owner: 'homer', given: [cal('REQUEST', ev({ seq: 3 }))], when: cal('REQUEST', ev({ seq: 1, rid: RID_0309, start: '20260309T150000' })), code: 'STALE', reason: 'SUPERSEDED_BY_SERIES',
    lacks: [RID_0309],
  },
  {
    name: 'a RECURRENCE-ID sent in UTC updates the override stored in the series\' zone (sabre-io/vobject#358)',
    owner: 'homer',
    given: [R0, cal('REQUEST', ev({ seq: 1, rid: RID_0309, start: '20260309T150000', summary: 'Tasting special' }))],
    when: cal('REQUEST', ev({ seq: 2, rid: 'RECURRENCE-ID:20260309T080000Z', start: '20260309T160000', summary: 'Moved tasting' })), code: 'APPLIED', reason: 'UPDATED',
    has: [RID_0309, 'SUMMARY:Moved tasting'], lacks: ['SUMMARY:Tasting special', 'RECURRENCE-ID:20260309T080000Z'],
  },
  {
    name: 'a RANGE=THISANDFUTURE override is kept with its range',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ seq: 1, rid: 'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260316T090000', start: '20260316T100000' })), code: 'APPLIED',
    has: ['RECURRENCE-ID;TZID=Europe/Berlin;RANGE=THISANDFUTURE:20260316T090000'],
  },
  {
    name: 'a new series version drops the overrides it outdates',
    owner: 'homer', given: [cal('REQUEST', ev(), ev({ rid: RID_0309, start: '20260309T150000' }))], when: cal('REQUEST', ev({ seq: 1, summary: 'Tasting v2' })), code: 'APPLIED',
    lacks: [RID_0309],
  },
  {
    name: 'an ORGANIZER that is not the stored organizer is UNAUTHORISED',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ seq: 5, organizer: 'mallory@example.net', start: '20260302T200000' })), sender: ['mallory@example.net'], code: 'UNAUTHORISED', reason: 'ORGANIZER_MISMATCH',
    has: ['SEQUENCE:0'],
  },
  {
    name: 'the stored organizer\'s SENT-BY may send the update',
    owner: 'homer', given: [cal('REQUEST', ev({ extra: [] , organizer: null, attendees: [...[att(HOMER)], 'ORGANIZER;SENT-BY="mailto:smithers@example.org":mailto:marge@example.org'] }))],
    when: cal('REQUEST', ev({ seq: 1, organizer: 'smithers@example.org', summary: 'Tasting by Smithers' })), sender: ['smithers@example.org'], code: 'APPLIED',
    has: ['SUMMARY:Tasting by Smithers'],
  },
  {
    name: 'an update without ORGANIZER for a stored meeting is UNAUTHORISED',
    owner: 'homer', given: [R0], when: cal('REQUEST', ev({ seq: 1, organizer: null, summary: 'Hijack' })), code: 'UNAUTHORISED', reason: 'NO_ORGANIZER',
  },
  {
    name: 'a new REQUEST without ORGANIZER is IGNORED',
    owner: 'homer', given: [], when: cal('REQUEST', ev({ organizer: null })), code: 'IGNORED', reason: 'NO_ORGANIZER',
  },
  {
    name: 'a floating time is placed in the owner\'s zone and flagged',
    owner: 'homer', given: [], when: cal('REQUEST', ev({ start: null, rrule: null, extra: ['DTSTART:20260302T090000', 'DTEND:20260302T100000'] })), code: 'APPLIED',
    has: ['X-INVITEFLOW-CAUTION:TIME_ZONE_ASSUMED', 'DTSTART;TZID=Europe/Berlin:20260302T090000'],
  },
  {
    name: 'an unknown TZID is placed in the owner\'s zone and flagged, never read as UTC',
    owner: 'homer', given: [], when: cal('REQUEST', ev({ start: null, rrule: null, extra: ['DTSTART;TZID=Springfield Time:20260302T090000', 'DTEND;TZID=Springfield Time:20260302T100000'] })), code: 'APPLIED',
    has: ['X-INVITEFLOW-CAUTION:TIME_ZONE_ASSUMED', 'DTSTART;TZID=Europe/Berlin:20260302T090000'], lacks: ['DTSTART:20260302T090000Z'],
  },
  {
    name: 'SCHEDULE-AGENT=CLIENT on an attendee is kept',
    owner: 'homer', given: [], when: cal('REQUEST', ev({ attendees: [att(HOMER), att(LENNY, 'NEEDS-ACTION', ';SCHEDULE-AGENT=CLIENT')] })), code: 'APPLIED',
    has: ['ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;SCHEDULE-AGENT=CLIENT:mailto:lenny@example.net'],
  },
  {
    name: 'an RFC 7986 CONFERENCE link is kept',
    owner: 'homer', given: [], when: cal('REQUEST', ev({ extra: ['CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://meet.example.com/tasting'] })), code: 'APPLIED',
    has: ['CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=conference:https://meet.example.com/tasting'],
  },
  {
    name: 'PUBLISH is IGNORED with a reason',
    owner: 'homer', given: [], when: cal('PUBLISH', ev()), code: 'IGNORED', reason: 'PUBLISH_NOT_SCHEDULING',
  },
  // CANCEL
  {
    name: 'a CANCEL of the whole meeting keeps it, marked cancelled',
    owner: 'homer', given: [R0], when: cal('CANCEL', ev({ seq: 1, extra: ['STATUS:CANCELLED'] })), code: 'APPLIED', reason: 'CANCELLED',
    has: ['X-INVITEFLOW-CANCELLED:TRUE', 'DTSTART;TZID=Europe/Berlin:20260302T090000'],
  },
  {
    name: 'cancelling one occurrence leaves the rest (nextcloud/calendar#7057)',
    owner: 'homer', given: [R0], when: cal('CANCEL', ev({ seq: 1, rid: RID_0309, start: '20260309T090000', extra: ['STATUS:CANCELLED'] })), code: 'APPLIED', reason: 'INSTANCE_CANCELLED',
    has: ['RRULE:FREQ=WEEKLY;COUNT=6', 'EXDATE;TZID=Europe/Berlin:20260309T090000'], lacks: ['X-INVITEFLOW-CANCELLED:TRUE'],
  },
  {
    name: 'an instance CANCEL with RECURRENCE-ID in UTC cancels the instance written in the series\' zone',
    owner: 'homer', given: [R0], when: cal('CANCEL', ev({ seq: 1, rid: 'RECURRENCE-ID:20260309T080000Z', start: null })), code: 'APPLIED', reason: 'INSTANCE_CANCELLED',
    has: ['EXDATE;TZID=Europe/Berlin:20260309T090000'],
  },
  {
    name: 'cancelling an overridden occurrence removes the override',
    owner: 'homer', given: [R0, cal('REQUEST', ev({ seq: 1, rid: RID_0309, start: '20260309T150000' }))], when: cal('CANCEL', ev({ seq: 2, rid: RID_0309, start: null })), code: 'APPLIED',
    has: ['EXDATE;TZID=Europe/Berlin:20260309T090000'], lacks: [RID_0309],
  },
  {
    name: 'a CANCEL before its REQUEST leaves a tombstone',
    owner: 'homer', given: [], when: cal('CANCEL', ev({ seq: 1, start: null })), code: 'APPLIED', reason: 'TOMBSTONE',
    has: ['STATUS:CANCELLED', 'X-INVITEFLOW-CANCELLED:TRUE'],
  },
  {
    name: 'the late, older REQUEST after a tombstone does not bring the meeting back',
    owner: 'homer', given: [cal('CANCEL', ev({ seq: 1, start: null }))], when: R0, code: 'STALE', reason: 'CANCELLED_LATER',
    has: ['X-INVITEFLOW-CANCELLED:TRUE', 'DTSTART;TZID=Europe/Berlin:20260302T090000'],
  },
  {
    name: 'a REQUEST newer than the CANCEL brings the meeting back',
    owner: 'homer', given: [R0, cal('CANCEL', ev({ seq: 1 }))], when: cal('REQUEST', ev({ seq: 2 })), code: 'APPLIED',
    lacks: ['X-INVITEFLOW-CANCELLED:TRUE'],
  },
  {
    name: 'a CANCEL from someone else than the organizer is UNAUTHORISED',
    owner: 'homer', given: [R0], when: cal('CANCEL', ev({ seq: 1, organizer: 'mallory@example.net' })), sender: ['mallory@example.net'], code: 'UNAUTHORISED',
    lacks: ['X-INVITEFLOW-CANCELLED:TRUE'],
  },
  {
    name: 'a CANCEL older than the stored REQUEST is STALE',
    owner: 'homer', given: [cal('REQUEST', ev({ seq: 2 }))], when: cal('CANCEL', ev({ seq: 1 })), code: 'STALE',
    lacks: ['X-INVITEFLOW-CANCELLED:TRUE'],
  },
  {
    name: 'the same CANCEL twice is DUPLICATE',
    owner: 'homer', given: [R0, cal('CANCEL', ev({ seq: 1 }))], when: cal('CANCEL', ev({ seq: 1 })), code: 'DUPLICATE',
  },
  {
    name: 'a CANCEL that drops only this attendee from a meeting that goes on cancels this copy',
    owner: 'homer', given: [R0], when: cal('CANCEL', ev({ seq: 1, attendees: [att(HOMER)] })), code: 'APPLIED', reason: 'ATTENDEE_REMOVED',
    has: ['X-INVITEFLOW-CANCELLED:TRUE'],
  },
  {
    name: 'a Google-style CANCEL listing several attendees is applied (nextcloud/server#51115)',
    owner: 'homer', given: [R0], when: cal('CANCEL', ev({ seq: 1, extra: ['STATUS:CANCELLED'], attendees: [att(HOMER), att(LENNY), att('carl@example.net'), att(MARGE, 'ACCEPTED')] })), code: 'APPLIED', reason: 'CANCELLED',
    has: ['X-INVITEFLOW-CANCELLED:TRUE'],
  },
  {
    name: 'a CANCEL with RANGE=THISANDFUTURE cancels that instance and the later ones',
    owner: 'homer', given: [R0], when: cal('CANCEL', ev({ seq: 1, rid: 'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260316T090000', start: null })), code: 'APPLIED',
    has: ['X-INVITEFLOW-CANCELLED-FROM:20260316T080000Z'], lacks: ['X-INVITEFLOW-CANCELLED:TRUE'],
  },
  {
    name: 'a newer override for a cancelled instance brings that instance back',
    owner: 'homer', given: [R0, cal('CANCEL', ev({ seq: 1, rid: RID_0309, start: null }))], when: cal('REQUEST', ev({ seq: 2, rid: RID_0309, start: '20260309T170000' })), code: 'APPLIED',
    has: [RID_0309, 'DTSTART;TZID=Europe/Berlin:20260309T170000'], lacks: ['EXDATE;TZID=Europe/Berlin:20260309T090000'],
  },
];

describe('iTIP REQUEST and CANCEL, as stored iCalendar + incoming iCalendar → stored iCalendar', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => checkCase(c));
});
