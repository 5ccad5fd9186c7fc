import { matchDelimiter, repairHead, repairMime } from './mime-repair';

const CAL = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:r1', 'END:VEVENT', 'END:VCALENDAR'];
const TOP = ['From: a@example.org', 'MIME-Version: 1.0'];

/** Lines joined with CRLF (or LF), ending in one. */
function mail(lines: string[], eol = '\r\n'): Buffer {
  return Buffer.from(lines.join(eol) + eol, 'latin1');
}

function repaired(lines: string[], eol = '\r\n'): { text: string[]; repairs: string[] } | undefined {
  const result = repairMime(mail(lines, eol), 256 * 1024);
  return result && { text: result.raw.toString('latin1').split(eol).slice(0, -1), repairs: result.repairs };
}

describe('repairing damaged MIME before mailparser reads it again', () => {
  test('When a well-formed multipart is given, then nothing is repaired', () => {
    const lines = [...TOP, 'Content-Type: multipart/alternative; boundary="b"', '', '--b', 'Content-Type: text/calendar', '', ...CAL, '--b--'];

    expect(repairMime(mail(lines), 1024)).toBeUndefined();
  });

  test('When delimiter lines differ from the declared boundary in case and trailing whitespace, then they are rewritten to it', () => {
    // Arrange
    const lines = [...TOP, 'Content-Type: multipart/mixed; boundary="Part_AbC"', '', '--part_abc \t', 'Content-Type: text/calendar', '', ...CAL, '--PART_ABC--'];

    // Act
    const result = repaired(lines);

    // Assert
    expect(result?.text).toEqual([...TOP, 'Content-Type: multipart/mixed; boundary="Part_AbC"', '', '--Part_AbC', 'Content-Type: text/calendar', '', ...CAL, '--Part_AbC--']);
    expect(result?.repairs).toEqual([expect.stringContaining('differ from the declared boundary "Part_AbC" in case or whitespace')]);
  });

  test('When a part\'s headers run straight into BEGIN:VCALENDAR, then a blank line is inserted between them', () => {
    const lines = [...TOP, 'Content-Type: multipart/alternative; boundary=b', '', '--b', 'Content-Type: text/calendar; method=REQUEST', ...CAL, '--b--'];

    const result = repaired(lines);

    expect(result?.text).toEqual([...TOP, 'Content-Type: multipart/alternative; boundary=b', '', '--b', 'Content-Type: text/calendar; method=REQUEST', '', ...CAL, '--b--']);
    expect(result?.repairs).toEqual([expect.stringContaining('no blank line between')]);
  });

  test('When a single-part message\'s headers run straight into BEGIN:VCALENDAR, then a blank line is inserted (LF line endings kept)', () => {
    const result = repaired([...TOP, 'Content-Type: text/calendar', ...CAL], '\n');

    expect(result?.text).toEqual([...TOP, 'Content-Type: text/calendar', '', ...CAL]);
  });

  test.each([
    ['directly after the delimiter', []],
    ['after a blank line', ['']],
  ])('When a part\'s MIME headers follow its calendar text (%s), then they are moved before it', (_case, before) => {
    const headers = ['Content-Type: text/calendar;', ' method=REQUEST', 'Content-Transfer-Encoding: 7bit'];
    const lines = [...TOP, 'Content-Type: multipart/alternative; boundary=b', '', '--b', ...before, ...CAL, ...headers, '', '--b--'];

    const result = repaired(lines);

    expect(result?.text).toEqual([...TOP, 'Content-Type: multipart/alternative; boundary=b', '', '--b', ...headers, '', ...CAL, '', '--b--']);
    expect(result?.repairs).toEqual([expect.stringContaining('came after its calendar text')]);
  });

  test('When a part starts with a blank line and then its headers, then the blank line is removed', () => {
    const lines = [...TOP, 'Content-Type: multipart/mixed; boundary=b', '', '--b', '', 'Content-Type: text/calendar', '', ...CAL, '--b--'];

    const result = repaired(lines);

    expect(result?.text).toEqual([...TOP, 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/calendar', '', ...CAL, '--b--']);
  });

  test('When a part starts with a blank line and then ordinary text, then it is left as a header-less part', () => {
    const lines = [...TOP, 'Content-Type: multipart/mixed; boundary=b', '', '--b', '', 'Hello: this is text', '', '--b--'];

    expect(repairMime(mail(lines), 1024)).toBeUndefined();
  });

  test('When a nested multipart has its own damaged delimiters, then the inner boundary is learnt from the part headers and repaired', () => {
    const lines = [
      ...TOP, 'Content-Type: multipart/mixed; boundary=outer', '',
      '--outer', 'Content-Type: multipart/alternative; boundary="Inner"', '',
      '--INNER', 'Content-Type: text/calendar', ...CAL, '--INNER--',
      '--outer--',
    ];

    const result = repaired(lines);

    expect(result?.text).toEqual([
      ...TOP, 'Content-Type: multipart/mixed; boundary=outer', '',
      '--outer', 'Content-Type: multipart/alternative; boundary="Inner"', '',
      '--Inner', 'Content-Type: text/calendar', '', ...CAL, '--Inner--',
      '--outer--',
    ]);
    expect(result?.repairs).toHaveLength(2);
  });

  test('When an attached message/rfc822 holds a damaged part, then it is not touched (an attached message is never an invite)', () => {
    const inner = ['Content-Type: multipart/alternative; boundary=in', '', '--in', 'Content-Type: text/calendar', ...CAL, '--in--'];
    const lines = [...TOP, 'Content-Type: multipart/mixed; boundary=out', '', '--out', 'Content-Type: message/rfc822', '', ...inner, '--out--'];

    expect(repairMime(mail(lines), 1024)).toBeUndefined();
  });

  test('When a head is longer than the bound, then it is left as it is', () => {
    const lines = [...TOP, 'Content-Type: text/calendar', ...Array.from({ length: 100 }, (_, i) => `X-Filler-${i}: ${'x'.repeat(50)}`), ...CAL];

    expect(repairMime(mail(lines), 1024)).toBeUndefined();
  });
});

describe('the head of one part', () => {
  test('When the calendar comes first but no MIME header follows it, then there is nothing to move', () => {
    expect(repairHead([...CAL, 'X-Note: not a content header'])).toBeUndefined();
  });

  test('When the calendar comes first and a line after it is not a header, then nothing is moved', () => {
    expect(repairHead([...CAL, 'Content-Type: text/calendar', 'just text'])).toBeUndefined();
  });
});

describe('matching delimiter lines', () => {
  test('When an exact match exists further out, then it wins over a case-only match further in', () => {
    expect(matchDelimiter(['abc', 'ABC'], '--abc')).toEqual({ index: 0, close: false, exact: true });
  });

  test('When only case differs, then the innermost such boundary matches, loosely', () => {
    expect(matchDelimiter(['x', 'Abc'], '--aBC--')).toEqual({ index: 1, close: true, exact: false });
  });

  test('When the line is another boundary altogether, then nothing matches', () => {
    expect(matchDelimiter(['abc'], '--abcd')).toBeUndefined();
  });
});
