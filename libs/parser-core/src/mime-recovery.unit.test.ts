import { calendarPart, corpusBytes, corpusManifest, multipartMail, TEST_CONTEXT, TEXT_PART, vcalendar, vevent } from '@inviteflow/testing';
import { simpleParser } from 'mailparser';
import { findCalendarParts } from './calendar-parts';
import { needsRecovery } from './mime-recovery';
import { DEFAULT_PARSE_LIMITS, type ParseOutcome } from './parse-outcome';
import { parseMail } from './parse-mail';

const REQUEST = vcalendar('REQUEST', ...vevent('UID:rec-1', 'DTSTAMP:20250101T000000Z', 'DTSTART:20250110T090000Z', 'DTEND:20250110T100000Z'));
/** The same calendar part, its headers run straight into the calendar (no blank line). */
const DAMAGED_PART = `Content-Type: text/calendar; method=REQUEST\r\n${REQUEST}`;

function raw(lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

function warningsOf(outcome: ParseOutcome): string[] {
  if (outcome.kind !== 'parsed') throw new Error(`expected parsed, got ${outcome.kind} ${outcome.reasonCode}: ${outcome.detail}`);
  return outcome.invites.flatMap((invite) => invite.warnings);
}

const b64 = (text: string): string => Buffer.from(text).toString('base64').replace(/.{76}/g, '$&\r\n');

describe('each kind of broken MIME is recovered, with a warning naming it', () => {
  test.each([
    ['headers after the calendar text', `--b\r\n${REQUEST}Content-Type: text/calendar; method=REQUEST\r\n\r\n--b--`, 'MIME_REPAIRED: a part\'s MIME headers came after'],
    ['no blank line after the part headers', `--b\r\n${DAMAGED_PART}--b--`, 'MIME_REPAIRED: no blank line'],
    ['base64 inside base64', `--b\r\nContent-Type: text/calendar\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(b64(REQUEST))}\r\n--b--`, 'CALENDAR_EXTRA_ENCODING_REMOVED: part 1 text/calendar: base64 beneath its declared'],
    ['base64 with no Content-Transfer-Encoding', `--b\r\nContent-Type: text/calendar\r\n\r\n${b64(REQUEST)}\r\n--b--`, 'CALENDAR_EXTRA_ENCODING_REMOVED: part 1 text/calendar: base64 beneath no declared'],
    ['quoted-printable inside 8bit', `--b\r\nContent-Type: text/calendar\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${REQUEST.replace('DTSTART:', 'DTSTART;VALUE=3DDATE-TIME:')}--b--`, 'CALENDAR_EXTRA_ENCODING_REMOVED: part 1 text/calendar: quoted-printable'],
    ['a boundary in another case', `--B\r\nContent-Type: text/calendar\r\n\r\n${REQUEST}--B--`, 'MIME_REPAIRED: delimiter lines differ'],
  ])('When the calendar part has %s, then the invite is parsed and the warning names the recovery', async (_case, body, expected) => {
    // Arrange
    const mail = raw(['From: a@example.net', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', body]);

    // Act
    const outcome = await parseMail(mail, TEST_CONTEXT);

    // Assert
    expect(outcome).toMatchObject({ kind: 'parsed', invites: [expect.objectContaining({ uid: 'rec-1', method: 'REQUEST' })] });
    expect(warningsOf(outcome)).toEqual([expect.stringContaining(expected)]);
  });
});

describe('bounces are never recovered into invitations', () => {
  test('When a DSN quotes a whole VCALENDAR in its notification and returns the invite as message/rfc822, then it is ignored DELIVERY_STATUS_NOTIFICATION', async () => {
    // Arrange
    const returned = multipartMail([TEXT_PART, calendarPart(REQUEST)], { boundary: 'orig' }).toString('utf8');
    const mail = multipartMail(
      [
        { headers: { 'Content-Type': 'text/plain' }, body: `Your invitation could not be delivered:\r\n\r\n${REQUEST}` },
        { headers: { 'Content-Type': 'message/delivery-status' }, body: 'Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; x@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n' },
        { headers: { 'Content-Type': 'message/rfc822' }, body: returned },
      ],
      { subtype: 'report; report-type=delivery-status', headers: { From: 'MAILER-DAEMON@mx.example.org' } },
    );

    // Act
    const outcome = await parseMail(mail, TEST_CONTEXT);

    // Assert
    expect(outcome).toMatchObject({ kind: 'ignored', reasonCode: 'DELIVERY_STATUS_NOTIFICATION' });
  });

  test('When only the repaired MIME shows a message/delivery-status part, then the mail is a bounce, not an invite', async () => {
    const mail = raw([
      'From: relay@example.net', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="Report-B"', '',
      '--report-b', 'Content-Type: text/plain', '', 'Delivery failed. The message was:', '', REQUEST,
      '--report-b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; relay.example.net', '', 'Action: failed', 'Status: 5.0.0', '',
      '--report-b--',
    ]);

    const outcome = await parseMail(mail, TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'ignored', reasonCode: 'DELIVERY_STATUS_NOTIFICATION' });
  });

  test.each([
    ['from MAILER-DAEMON', ['From: MAILER-DAEMON@mx.example.org', 'Content-Type: text/plain']],
    ['from postmaster', ['From: Postmaster <postmaster@example.net>', 'Content-Type: text/plain']],
    ['with X-Failed-Recipients (Exim)', ['From: mail@mx.example.org', 'X-Failed-Recipients: x@example.net', 'Content-Type: text/plain']],
  ])('When a bounce that is no DSN (%s) quotes a whole invitation, then nothing is recovered from it', async (_case, headers) => {
    const mail = raw([...headers, 'MIME-Version: 1.0', '', 'This message could not be delivered. A copy follows.', '', DAMAGED_PART]);

    const outcome = await parseMail(mail, TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT' });
  });

  test('When a read receipt (multipart/report; report-type=disposition-notification) returns a damaged invite, then nothing is recovered from it', async () => {
    const mail = multipartMail(
      [{ headers: { 'Content-Type': 'text/plain' }, body: 'Read.' }, { headers: { 'Content-Type': 'text/rfc822-headers' }, body: `Subject: x\r\n\r\n${REQUEST}` }],
      { subtype: 'report; report-type=disposition-notification' },
    );

    expect(await parseMail(mail, TEST_CONTEXT)).toMatchObject({ kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT' });
  });
});

describe('what recovery leaves alone', () => {
  test('When a forwarded message/rfc822 holds a damaged invitation, then it is not recovered (an attached message is somebody else\'s)', async () => {
    const forwarded = `From: a@example.net\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=fw\r\n\r\n--fw\r\n${DAMAGED_PART}--fw--\r\n`;

    const outcome = await parseMail(multipartMail([TEXT_PART, { headers: { 'Content-Type': 'message/rfc822' }, body: forwarded }]), TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT' });
  });

  test('When a well-formed calendar part is there, then a VCALENDAR pasted into the text body is not parsed as well', async () => {
    const other = REQUEST.replace('UID:rec-1', 'UID:pasted');

    const outcome = await parseMail(multipartMail([{ headers: { 'Content-Type': 'text/plain' }, body: `See:\r\n${other}` }, calendarPart(REQUEST)]), TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'parsed', invites: [expect.objectContaining({ uid: 'rec-1', warnings: [] })] });
  });

  test('When repairing the delimiters would reveal multiparts nested deeper than allowed, then the repaired mail is not read', async () => {
    // Arrange: 5 multiparts, each boundary declared in lower case and written in upper case.
    let body = `Content-Type: text/calendar\r\n\r\n${REQUEST}`;
    for (let level = 5; level >= 1; level--) body = `Content-Type: multipart/mixed; boundary="b${level}"\r\n\r\n--B${level}\r\n${body}--B${level}--\r\n`;
    const mail = Buffer.from(`From: a@example.net\r\nMIME-Version: 1.0\r\n${body}`);

    // Act
    const outcome = await parseMail(mail, TEST_CONTEXT, { ...DEFAULT_PARSE_LIMITS, maxMimeDepth: 3 });
    const allowed = await parseMail(mail, TEST_CONTEXT);

    // Assert
    expect(JSON.stringify(outcome)).not.toContain('MIME_REPAIRED');
    expect(warningsOf(allowed)).toHaveLength(5);
    expect(warningsOf(allowed).every((w) => w.startsWith('MIME_REPAIRED: delimiter lines differ'))).toBe(true);
  });
});

describe('recovery costs well-formed mail nothing', () => {
  test('When the corpus mails that carry a calendar part are read, then none but the damaged libical sample needs recovery', async () => {
    // Arrange
    const files = corpusManifest().map((entry) => entry.file).filter((file) => file.endsWith('.eml'));

    // Act
    const needing: string[] = [];
    for (const file of files) {
      const mail = await simpleParser(corpusBytes(file), { ignoreEmbedded: true, keepDeliveryStatus: true });
      const scan = findCalendarParts(mail.attachments, DEFAULT_PARSE_LIMITS);
      if (scan.sources.length > 0 || scan.emptyCalendarParts.length > 0 || file.includes('libical')) {
        if (needsRecovery(scan)) needing.push(file);
      }
    }

    // Assert
    expect(needing).toEqual(['libical__complex-mime-broken.eml']);
  });

  test('When a calendar part reads as quoted-printable, then recovery is needed even though a calendar was found', () => {
    const scan = { sources: [{ text: 'BEGIN:VCALENDAR\r\nDTSTART;TZID=3DEurope/Berlin:20250101T090000\r\nEND:VCALENDAR', mimeMethod: '', label: 'p' }], warnings: [], otherTypes: [], emptyCalendarParts: [], tnefParts: [] };

    expect(needsRecovery(scan)).toBe(true);
  });
});
