import { AppError, isAppError } from './app.error';

describe('AppError', () => {
  test('When created with a cause and details, then it keeps code, retryable, cause and details', () => {
    const cause = new Error('socket hang up');

    const error = new AppError({ code: 'MONGO_UNAVAILABLE', message: 'no primary', retryable: true, cause, details: { db: 'x' } });

    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'AppError', code: 'MONGO_UNAVAILABLE', retryable: true, details: { db: 'x' } });
    expect(error.cause).toBe(cause);
  });

  test.each(['lower_case', 'Mixed_Case', 'TRAILING_', 'DOUBLE__UNDERSCORE', ''])(
    'When the code is %j, then construction fails because codes are SCREAMING_SNAKE',
    (code) => {
      expect(() => new AppError({ code, message: 'x', retryable: false })).toThrow(/SCREAMING_SNAKE/);
    },
  );

  test('When checking foreign values, then only errors with a string code and boolean retryable count', () => {
    const lookalike = Object.assign(new Error('x'), { code: 'SOME_CODE', retryable: false });
    const systemError = Object.assign(new Error('x'), { code: 'ECONNREFUSED' });

    expect(isAppError(new AppError({ code: 'A_B', message: 'x', retryable: false }))).toBe(true);
    expect(isAppError(lookalike)).toBe(true);
    expect(isAppError(systemError)).toBe(false);
    expect(isAppError({ code: 'A_B', retryable: true })).toBe(false);
    expect(isAppError(undefined)).toBe(false);
  });
});
