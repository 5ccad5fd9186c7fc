import { AppError } from '@inviteflow/runtime';
import { classify, classifyWith, CLASSIFY_RULES, errorCode, explainClassification, isRetryableError, type ClassifyRule } from './error.classifier';
import { MESSAGING_ERROR_CODES } from './messaging.errors';

function appError(code: string, retryable: boolean): Error & { code: string; retryable: boolean } {
  return Object.assign(new Error(code.toLowerCase()), { code, retryable });
}

describe('classify', () => {
  test.each([
    ['an error flagged retryable', 'retry', appError('MONGO_UNAVAILABLE', true)],
    ['an error flagged not retryable', 'reject', appError('ICS_MALFORMED', false)],
    ['an AppError that is not retryable', 'reject', new AppError({ code: 'RAW_MAIL_NOT_FOUND', message: 'x', retryable: false })],
    ['a plain object with the shape', 'reject', { retryable: false, code: 'X' }],
    ['an unknown Error', 'retry', new Error('boom')],
    ['a Node system error without a flag', 'retry', Object.assign(new Error('reset'), { code: 'ECONNRESET' })],
    ['a retryable flag without a string code', 'retry', Object.assign(new Error('half'), { retryable: false })],
    ['a bare string', 'retry', 'oops'],
    ['undefined', 'retry', undefined],
  ])('When the handler throws %s, then classify says %s', (_name, expected, err) => {
    expect(classify(err)).toBe(expected);
  });

  test.each([
    [appError('ICS_MALFORMED', false), 'reject', /retryable: false/],
    [appError('MONGO_UNAVAILABLE', true), 'retry', /retryable: true/],
    [Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'retry', /connection-level/],
    [new TypeError('x is undefined'), 'retry', /unknown failure/],
  ])('When %p is classified, then the deciding row gives %s and its reason', (err, decision, reason) => {
    const classification = explainClassification(err);

    expect(classification.decision).toBe(decision);
    expect(classification.reason).toMatch(reason);
  });

  test('When rules are evaluated, then the first matching row decides, in table order', () => {
    // Arrange
    const rules: ClassifyRule[] = [
      { match: (err) => err === 'poison', decision: 'reject', reason: 'first' },
      { match: (err) => typeof err === 'string', decision: 'retry', reason: 'second' },
    ];

    // Act + Assert
    expect(classifyWith(rules, 'poison')).toEqual({ decision: 'reject', reason: 'first' });
    expect(classifyWith(rules, 'other')).toEqual({ decision: 'retry', reason: 'second' });
    expect(classifyWith(rules, 42)).toEqual({ decision: 'retry', reason: 'no rule matched' });
  });

  test('When the table is read, then its last row matches anything and retries', () => {
    const last = CLASSIFY_RULES[CLASSIFY_RULES.length - 1]!;

    expect([undefined, null, 'x', new Error('y')].every((err) => last.match(err))).toBe(true);
    expect(last.decision).toBe('retry');
  });

  test('When an error has a string code, then errorCode keeps it; otherwise UNEXPECTED', () => {
    expect(errorCode(appError('ICS_MALFORMED', false))).toBe('ICS_MALFORMED');
    expect(errorCode(new Error('no code'))).toBe(MESSAGING_ERROR_CODES.unexpected);
    expect(errorCode({ code: 42 })).toBe(MESSAGING_ERROR_CODES.unexpected);
    expect(isRetryableError(null)).toBe(false);
  });
});
