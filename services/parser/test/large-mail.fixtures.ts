// Big inputs for the parser's memory bounds (issue 8, finding 8): built in the test, so the
// repository carries no multi-megabyte fixtures.
import { calendarPart, multipartMail, TEXT_PART, vcalendar, vevent } from '@inviteflow/testing';

const INVITE = vcalendar('REQUEST', ...vevent(
  'UID:memory-1@example.net', 'DTSTAMP:20260101T090000Z', 'DTSTART:20260301T090000Z', 'DTEND:20260301T100000Z',
  'SUMMARY:Quarterly review', 'ORGANIZER:mailto:organizer@example.net', 'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:homer@example.org',
));

/** An invitation with a base64 attachment, `totalBytes` long in all (within a few hundred bytes). */
export function inviteWithAttachment(totalBytes: number): Buffer {
  const overhead = multipartMail([TEXT_PART, calendarPart(INVITE)]).byteLength + 200;
  const encoded = Math.max(0, totalBytes - overhead);
  // 76-character lines (RFC 2045 §6.8); the bytes need not decode to anything meaningful.
  const line = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n';
  const body = line.repeat(Math.floor(encoded / line.length));
  return multipartMail([
    TEXT_PART,
    calendarPart(INVITE),
    { headers: { 'Content-Type': 'application/octet-stream; name="deck.bin"', 'Content-Transfer-Encoding': 'base64', 'Content-Disposition': 'attachment; filename="deck.bin"' }, body },
  ]);
}

/** An invitation whose VEVENT carries `count` RDATEs: rejected TOO_LARGE above maxRecurrenceDates. */
export function inviteWithRdates(count: number): Buffer {
  const rdates = Array.from({ length: count }, (_, i) => `RDATE:202701${String(1 + (i % 28)).padStart(2, '0')}T10${String(i % 60).padStart(2, '0')}00Z`);
  // Spliced in as text: 100 000 spread arguments would overflow the call stack.
  const calendar = vcalendar('REQUEST', ...vevent(
    'UID:rdates-1@example.net', 'DTSTAMP:20260101T090000Z', 'DTSTART:20260301T090000Z', 'DTEND:20260301T100000Z', 'SUMMARY:Many dates', 'X-RDATES',
  )).replace('X-RDATES', rdates.join('\r\n'));
  return multipartMail([TEXT_PART, calendarPart(calendar)]);
}
