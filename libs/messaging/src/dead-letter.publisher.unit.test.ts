import { deadLetterMsgId, sanitizeHeaderValue } from './dead-letter.publisher';

describe('dead-letter details', () => {
  test('The dead-letter msgId is unique per original stream message', () => {
    expect(deadLetterMsgId('MAIL', 42)).toBe('dlq:MAIL:42');
  });

  test('A multi-line reason becomes one bounded header line', () => {
    const value = sanitizeHeaderValue(`line one\r\nline two\n${'x'.repeat(5000)}`);
    expect(value).not.toMatch(/[\r\n]/);
    expect(value.length).toBeLessThanOrEqual(1024);
    expect(value.startsWith('line one line two')).toBe(true);
  });
});
