import { eventsV1 } from '@inviteflow/proto-gen';
import { calendarPart, multipartMail, singlePartMail, TEXT_PART, vcalendar, vevent, party } from '@inviteflow/testing';
import { corpusBytes, TEST_CONTEXT } from '@inviteflow/testing';
import { DEFAULT_PARSE_LIMITS, type ParseOutcome } from './parse-outcome';
import { parseMail } from './parse-mail';

const REQUEST = vcalendar('REQUEST', ...vevent('UID:inline-1', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240110T090000Z', 'DTEND:20240110T100000Z'));

function invitesOf(outcome: ParseOutcome): eventsV1.InviteParsed[] {
  if (outcome.kind !== 'parsed') throw new Error(`expected parsed, got ${outcome.kind} ${outcome.reasonCode}: ${outcome.detail}`);
  return outcome.invites;
}

describe('real invitations from the corpus', () => {
  test('When the Outlook/O365 invite arrives, then it is one REQUEST at 09:00-09:30 Helsinki time (FLE Standard Time)', async () => {
    // Arrange
    const raw = corpusBytes('outlook__o365-request-fle-tz.eml');

    // Act
    const [invite, ...rest] = invitesOf(await parseMail(raw, TEST_CONTEXT));

    // Assert: DTSTART;TZID=FLE Standard Time:20211127T090000 is EET (+02:00) in November.
    expect(rest).toEqual([]);
    expect(invite).toMatchObject({
      mailId: 'mail-1',
      method: 'REQUEST',
      uid: '030000008200E00074C5B7101A82E0080000000060B608D090DDD7010000000000000000100000004BE0CFFA54BCF64E956E34143362C3C0',
      warnings: [],
    });
    expect(invite!.events).toEqual([
      expect.objectContaining({
        recurrenceId: '',
        sequence: 0,
        dtstamp: new Date('2021-11-19T20:00:29Z'),
        start: new Date('2021-11-27T07:00:00Z'),
        end: new Date('2021-11-27T07:30:00Z'),
        timeZone: 'FLE Standard Time',
        allDay: false,
        summary: 'Testaus',
        status: 'CONFIRMED',
        organizer: party({ address: 'marge@example.org', name: 'Marge', partstat: '', role: '', rsvp: false, cutype: '' }),
        attendees: [party({ address: 'homer@example.org', name: 'Homer', partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT', rsvp: true, cutype: 'INDIVIDUAL' })],
      }),
    ]);
    expect(invite!.mail).toMatchObject({ from: 'marge@example.org', subject: 'Testaus', envelopeTo: ['homer@example.org'] });
  });

  test('When the Google Meet invite carries its calendar twice (text/calendar and application/ics), then there is exactly one invite', async () => {
    const invites = invitesOf(await parseMail(corpusBytes('google__meet-invite-ics-twice.eml'), TEST_CONTEXT));

    expect(invites).toHaveLength(1);
    expect(invites[0]).toMatchObject({ method: 'REQUEST', uid: '65m17hsdolmotv3kvmrtg40ont@google.com', warnings: [] });
  });

  test('When a Postfix bounce (DSN) wraps an original REQUEST, then it is ignored DELIVERY_STATUS_NOTIFICATION', async () => {
    const outcome = await parseMail(corpusBytes('postfix-dsn__bounced-request-message-rfc822.eml'), TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'ignored', reasonCode: 'DELIVERY_STATUS_NOTIFICATION' });
  });

  test('When an Outlook mail carries only a TNEF winmail.dat, then it is ignored NO_CALENDAR_CONTENT', async () => {
    const outcome = await parseMail(corpusBytes('outlook365__tnef-winmail-dat-no-calendar-koi8r.eml'), TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT', detail: expect.stringContaining('ms-tnef') });
  });

  test('When the CANCEL of a series has no DTSTART, then it is accepted', async () => {
    const [invite] = invitesOf(await parseMail(corpusBytes('gmail-envelope__cancel-series-missing-dtstart.eml'), TEST_CONTEXT));

    expect(invite).toMatchObject({ method: 'CANCEL' });
    expect(invite!.events[0]).toMatchObject({ start: undefined, status: 'CANCELLED' });
  });
});

describe('finding the calendar in the MIME tree', () => {
  test('When an inline REQUEST has no DTSTART, then the mail is rejected MISSING_DTSTART', async () => {
    const calendar = vcalendar('REQUEST', ...vevent('UID:no-start', 'DTSTAMP:20240101T000000Z', 'SUMMARY:When?'));

    const outcome = await parseMail(multipartMail([TEXT_PART, calendarPart(calendar)], { subtype: 'alternative' }), TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'MISSING_DTSTART' });
  });

  test.each([
    ['text/calendar with method', 'text/calendar; charset=utf-8; method=REQUEST'],
    ['text/calendar without method', 'text/calendar; charset=utf-8'],
    ['mixed-case TeXt/CaLeNdAr', 'TeXt/CaLeNdAr; method=REQUEST'],
    ['application/ics', 'application/ics; name="invite.ics"'],
    ['an .ics sent as application/octet-stream', 'application/octet-stream; name="meeting.dat"'],
    ['an .ics sent as a text/plain attachment', 'text/plain; charset=utf-8; name="c141520.ics"'],
  ])('When the calendar comes as %s, then it is found', async (_case, contentType) => {
    // Arrange
    const part = { headers: { 'Content-Type': contentType, 'Content-Disposition': 'attachment' }, body: REQUEST };

    // Act
    const invites = invitesOf(await parseMail(multipartMail([TEXT_PART, part]), TEST_CONTEXT));

    // Assert
    expect(invites.map((i) => [i.method, i.uid])).toEqual([['REQUEST', 'inline-1']]);
  });

  test('When the whole message is a single text/calendar part, then it is found', async () => {
    const raw = singlePartMail({ 'Content-Type': 'text/calendar; method=REQUEST; charset=utf-8' }, REQUEST);

    expect(invitesOf(await parseMail(raw, TEST_CONTEXT)).map((i) => i.uid)).toEqual(['inline-1']);
  });

  test('When the MIME method disagrees with METHOD, then METHOD wins and a warning records it (RFC 6047 §2.4)', async () => {
    const cancel = vcalendar('CANCEL', ...vevent('UID:c', 'DTSTAMP:20240101T000000Z', 'SEQUENCE:1'));

    const [invite] = invitesOf(await parseMail(multipartMail([calendarPart(cancel, 'text/calendar; method=REQUEST')]), TEST_CONTEXT));

    expect(invite!.method).toBe('CANCEL');
    expect(invite!.warnings).toEqual([expect.stringMatching(/^METHOD_MISMATCH: /)]);
  });

  test('When a forwarded message/rfc822 holds an invitation, then it is not taken as one', async () => {
    const forwarded = multipartMail([TEXT_PART, calendarPart(REQUEST)], { boundary: 'inner-boundary' }).toString('utf8');
    const part = { headers: { 'Content-Type': 'message/rfc822', 'Content-Disposition': 'inline' }, body: forwarded };

    const outcome = await parseMail(multipartMail([TEXT_PART, part]), TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT' });
  });

  test('When a text/calendar part has no BEGIN:VCALENDAR, then the mail is rejected MALFORMED_ICALENDAR', async () => {
    const outcome = await parseMail(multipartMail([TEXT_PART, calendarPart('not a calendar')]), TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'MALFORMED_ICALENDAR' });
  });

  test('When the calendar part is in windows-1257, then it is decoded with that charset', async () => {
    // Arrange: "Šiaulių" in windows-1257 is D0 69 61 75 6C 69 F8.
    const calendar = vcalendar('REQUEST', ...vevent('UID:lt', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240110T090000Z', 'LOCATION:__'));
    const [before, after] = calendar.split('__') as [string, string];
    const body = Buffer.concat([Buffer.from(before), Buffer.from([0xd0, 0x69, 0x61, 0x75, 0x6c, 0x69, 0xf8]), Buffer.from(after)]);
    const raw = Buffer.concat([
      Buffer.from('From: a@example.net\r\nMIME-Version: 1.0\r\nContent-Type: text/calendar; method=REQUEST; charset=windows-1257\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
      body,
    ]);

    // Act
    const [invite] = invitesOf(await parseMail(raw, TEST_CONTEXT));

    // Assert
    expect(invite!.events[0]!.location).toBe('Šiaulių');
  });
});

describe('limits', () => {
  test('When the message is larger than allowed, then it is rejected TOO_LARGE without being parsed', async () => {
    const raw = multipartMail([TEXT_PART, calendarPart(REQUEST)]);

    const outcome = await parseMail(raw, TEST_CONTEXT, { ...DEFAULT_PARSE_LIMITS, maxMessageBytes: 100 });

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'TOO_LARGE' });
  });

  test('When the message has more MIME parts than allowed, then it is rejected TOO_LARGE', async () => {
    const raw = multipartMail(Array.from({ length: 12 }, () => TEXT_PART));

    const outcome = await parseMail(raw, TEST_CONTEXT, { ...DEFAULT_PARSE_LIMITS, maxMimeParts: 5 });

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'TOO_LARGE' });
  });
});

describe('regressions found by fuzzing', () => {
  test('When a part says "Content-Type:;ext/calendar" (no type at all), then it is read as text/plain and the mail still ends in one outcome', async () => {
    const raw = multipartMail([TEXT_PART, { headers: { 'Content-Type': ';ext/calendar; method=REQUEST' }, body: 'not a calendar' }]);

    const outcome = await parseMail(raw, TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT' });
  });
});
