import { classify, errorCode, isRetryableError } from './error.classifier';
import { MESSAGING_ERROR_CODES, MessagingError } from './messaging.errors';

function appError(code: string, retryable: boolean): Error & { code: string; retryable: boolean } {
  return Object.assign(new Error(code.toLowerCase()), { code, retryable });
}

describe('classify', () => {
  test.each([
    ['an error flagged retryable', 'retry', appError('MONGO_UNAVAILABLE', true)],
    ['an error flagged not retryable', 'reject', appError('ICS_MALFORMED', false)],
    ['a MessagingError that is not retryable', 'reject', new MessagingError({ code: 'RAW_MAIL_NOT_FOUND', message: 'x', retryable: false })],
    ['a plain object with the shape', 'reject', { retryable: false, code: 'X' }],
    ['an unknown Error', 'retry', new Error('boom')],
    ['a Node system error without a flag', 'retry', Object.assign(new Error('reset'), { code: 'ECONNRESET' })],
    ['a retryable flag without a string code', 'retry', Object.assign(new Error('half'), { retryable: false })],
    ['a bare string', 'retry', 'oops'],
    ['undefined', 'retry', undefined],
  ])('When the handler throws %s, then classify says %s', (_name, expected, err) => {
    expect(classify(err)).toBe(expected);
  });

  test('When an error has a string code, then errorCode keeps it; otherwise UNEXPECTED', () => {
    expect(errorCode(appError('ICS_MALFORMED', false))).toBe('ICS_MALFORMED');
    expect(errorCode(new Error('no code'))).toBe(MESSAGING_ERROR_CODES.unexpected);
    expect(errorCode({ code: 42 })).toBe(MESSAGING_ERROR_CODES.unexpected);
    expect(isRetryableError(null)).toBe(false);
  });
});
