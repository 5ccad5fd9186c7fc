import { eventsV1 } from '@inviteflow/proto-gen';
import { vcalendar, vevent, party } from '@inviteflow/testing';
import { TEST_CONTEXT } from '@inviteflow/testing';
import { parseCalendarText } from './calendar-parser';
import { normalizeAddress } from './parties';

function partiesOf(method: string, ...lines: string[]): { event: eventsV1.CalendarEvent; warnings: string[] } {
  const calendar = vcalendar(method, ...vevent('UID:p', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240110T090000Z', ...lines));
  const outcome = parseCalendarText(calendar, TEST_CONTEXT);
  if (outcome.kind !== 'parsed') throw new Error(`${outcome.reasonCode}: ${outcome.detail}`);
  return { event: outcome.invites[0]!.events[0]!, warnings: outcome.invites[0]!.warnings };
}

describe('calendar user addresses', () => {
  test.each([
    ['mailto:homer@example.org', 'homer@example.org'],
    ['MAILTO:Homer@Example.ORG', 'homer@example.org'],
    ['MailTo:eric@agony.example', 'eric@agony.example'],
    ['mailto:mailto:xyz@pqr.com', 'xyz@pqr.com'],
    ['  homer@example.org ', 'homer@example.org'],
  ])('When the value is %j, then the address is %j', (value, expected) => {
    expect(normalizeAddress(value)).toBe(expected);
  });

  test('When the value is not a mailto: but an EMAIL parameter is given (RFC 7986 §6.2), then EMAIL is the address', () => {
    const { event } = partiesOf('REQUEST', 'ATTENDEE;EMAIL="Bart@Example.com":urn:uuid:5c7b0a3e-0000-4000-8000-000000000000');

    expect(event.attendees[0]!.address).toBe('bart@example.com');
  });
});

describe('ATTENDEE parameters (RFC 5545 §3.2)', () => {
  test('When an attendee has no parameters, then the RFC defaults apply', () => {
    const { event } = partiesOf('REQUEST', 'ATTENDEE:mailto:homer@example.org');

    expect(event.attendees).toEqual([
      party({ address: 'homer@example.org', name: '', partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT', rsvp: false, cutype: 'INDIVIDUAL' }),
    ]);
  });

  test('When values are quoted or lowercase, then they are read like the plain uppercase ones', () => {
    const { event } = partiesOf('REQUEST', 'ATTENDEE;CN="\'Homer\'";CUTYPE="ROOM";RSVP="true";PARTSTAT=tentative:mailto:homer@example.org');

    expect(event.attendees[0]).toEqual(party({ address: 'homer@example.org', name: 'Homer', partstat: 'TENTATIVE', role: 'REQ-PARTICIPANT', rsvp: true, cutype: 'ROOM' }));
  });

  test('When PARTSTAT, ROLE or CUTYPE is unknown, then it is read as RFC 5545 directs, with a warning', () => {
    const { event, warnings } = partiesOf('PUBLISH', 'ATTENDEE;PARTSTAT=CONFIRMED;ROLE=BOSS;CUTYPE=ROBOT:mailto:a@example.org');

    expect(event.attendees[0]).toMatchObject({ partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT', cutype: 'UNKNOWN' });
    expect(warnings.filter((w) => w.startsWith('PARTY_PARAM_UNKNOWN'))).toHaveLength(3);
  });

  test('When the same address is listed twice, then the first is kept and a warning says so', () => {
    const { event, warnings } = partiesOf('REQUEST', 'ATTENDEE;CN=XYZ:mailto:xyz@pqr.com', "ATTENDEE;CN='XYZ':mailto:mailto:XYZ@pqr.com");

    expect(event.attendees).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/^DUPLICATE_ATTENDEE: xyz@pqr.com/)]);
  });

  test('When an ATTENDEE has no value, then it is dropped with a warning', () => {
    const { event, warnings } = partiesOf('REQUEST', 'ATTENDEE;CN=Nobody:', 'ATTENDEE:mailto:a@example.org');

    expect(event.attendees.map((a) => a.address)).toEqual(['a@example.org']);
    expect(warnings).toEqual([expect.stringMatching(/^PARTY_WITHOUT_ADDRESS/)]);
  });
});

describe('ORGANIZER', () => {
  test('When the organizer has a CN and SENT-BY, then address, name and SENT-BY are taken and nothing else is invented', () => {
    const { event } = partiesOf('REQUEST', 'ORGANIZER;CN=Marge;SENT-BY="mailto:Assistant@example.org":mailto:Marge@example.org');

    expect(event.organizer).toEqual(party({ address: 'marge@example.org', name: 'Marge', sentBy: 'assistant@example.org' }));
  });

  test('When the organizer says SCHEDULE-AGENT=CLIENT, then it is kept (RFC 6638 §7.1)', () => {
    const { event } = partiesOf('REQUEST', 'ORGANIZER;SCHEDULE-AGENT=client:mailto:marge@example.org');

    expect(event.organizer).toMatchObject({ address: 'marge@example.org', scheduleAgent: 'CLIENT' });
  });
});

describe('delegation (RFC 5545 §3.2.4, §3.2.5; RFC 5546 §3.2.2.3)', () => {
  test('When an attendee delegates to two others, then DELEGATED-TO lists both normalised addresses', () => {
    const { event } = partiesOf('REPLY', 'ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:B@example.org","MAILTO:c@example.org":mailto:a@example.org');

    expect(event.attendees[0]).toMatchObject({ address: 'a@example.org', partstat: 'DELEGATED', delegatedTo: ['b@example.org', 'c@example.org'], delegatedFrom: [] });
  });

  test('When the delegate is invited, then DELEGATED-FROM names the delegator', () => {
    const { event } = partiesOf('REQUEST', 'ATTENDEE;DELEGATED-FROM="mailto:a@example.org";SENT-BY="mailto:s@example.org":mailto:b@example.org');

    expect(event.attendees[0]).toMatchObject({ address: 'b@example.org', delegatedFrom: ['a@example.org'], sentBy: 's@example.org', scheduleAgent: '' });
  });

  test('When there is no ORGANIZER (an Outlook REPLY), then the organizer is undefined', () => {
    const { event } = partiesOf('REPLY', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@example.org');

    expect(event.organizer).toBeUndefined();
  });
});
