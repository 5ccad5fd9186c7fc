import { decodeQuotedPrintable, findVcalendarBlocks, looksQuotedPrintable, unwrapExtraLayer } from './calendar-unwrap';

const CAL = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:w1', 'DTSTART;TZID=Europe/Berlin:20250310T090000', 'SUMMARY:Rückblick', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');

describe('an extra transfer-encoding layer inside a calendar part', () => {
  test('When the part is base64 of a VCALENDAR (folded at 76), then it is decoded', () => {
    // Arrange
    const wrapped = Buffer.from(Buffer.from(CAL).toString('base64').replace(/.{76}/g, '$&\r\n'));

    // Act
    const result = unwrapExtraLayer(wrapped);

    // Assert
    expect(result?.layer).toBe('base64');
    expect(result?.content.toString('utf8')).toBe(CAL);
  });

  test('When the base64 text starts with a UTF-8 byte-order mark, then it is still recognised', () => {
    const wrapped = Buffer.from(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CAL)]).toString('base64'));

    expect(unwrapExtraLayer(wrapped)?.layer).toBe('base64');
  });

  test('When the part is quoted-printable of a VCALENDAR, then it is decoded, soft line breaks and =XX octets both', () => {
    const wrapped = Buffer.from('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=3DEurope/Berlin:2025=\r\n0310T090000\r\nSUMMARY:R=C3=BCckblick\r\nEND:VEVENT\r\nEND:VCALENDAR');

    const result = unwrapExtraLayer(wrapped);

    expect(result?.layer).toBe('quoted-printable');
    expect(result?.content.toString('utf8')).toContain('DTSTART;TZID=Europe/Berlin:20250310T090000\r\nSUMMARY:Rückblick');
  });

  test.each([
    ['a plain VCALENDAR', CAL],
    ['a VCALENDAR with a base64 ATTACH ending in "=="', `${CAL.replace('END:VEVENT', 'ATTACH;ENCODING=BASE64;VALUE=BINARY:AAEC==\r\nEND:VEVENT')}`],
    ['base64 of something else', Buffer.from('hello world, not a calendar').toString('base64')],
    ['plain words (which are base64 characters too)', 'not a calendar'],
  ])('When the part is %s, then there is no extra layer', (_case, text) => {
    expect(unwrapExtraLayer(Buffer.from(text))).toBeUndefined();
  });

  test('When a VCALENDAR text is written as it should be, then it does not look quoted-printable', () => {
    expect(looksQuotedPrintable(CAL)).toBe(false);
  });

  test('When line breaks were encoded as data (=0D=0A), then it looks quoted-printable', () => {
    expect(looksQuotedPrintable('BEGIN:VCALENDAR=0D=0AVERSION:2.0=0D=0A')).toBe(true);
  });

  test('When quoted-printable is decoded, then "=" followed by spaces and a line break is a soft break too (RFC 2045 §6.7 rule 3)', () => {
    expect(decodeQuotedPrintable('ab= \t\r\ncd=3D=e9').toString('latin1')).toBe('abcd=\u00e9');
  });
});

describe('whole VCALENDAR blocks in text', () => {
  test('When text surrounds a VCALENDAR, then exactly the block is found', () => {
    expect(findVcalendarBlocks(`Hello,\r\n\r\n${CAL}\r\n\r\nMarge\r\n`, 10_000, 4)).toEqual([CAL]);
  });

  test('When the VCALENDAR is quoted in a reply ("> "), then it is not taken', () => {
    const quoted = CAL.split('\r\n').map((line) => `> ${line}`).join('\r\n');

    expect(findVcalendarBlocks(quoted, 10_000, 4)).toEqual([]);
  });

  test('When END:VCALENDAR is missing, then nothing is taken', () => {
    expect(findVcalendarBlocks(CAL.replace('END:VCALENDAR', ''), 10_000, 4)).toEqual([]);
  });

  test('When a block is larger than the bound, then it is skipped, and the next one is still found', () => {
    const big = CAL.replace('UID:w1', `DESCRIPTION:${'x'.repeat(500)}`);

    expect(findVcalendarBlocks(`${big}\n${CAL}\n`, 400, 4)).toEqual([CAL]);
  });

  test('When there are more blocks than allowed, then only the first ones are taken', () => {
    expect(findVcalendarBlocks(`${CAL}\n${CAL}\n${CAL}\n`, 10_000, 2)).toHaveLength(2);
  });
});
