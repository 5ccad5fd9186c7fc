import { captureLog } from '../test/log.capture';
import { AppError } from './app.error';

describe('createLogger', () => {
  test('When logging, then every line is JSON with service, level name and ISO time', () => {
    const { log, lines } = captureLog('parser');

    log.info({ uid: 'abc' }, 'invite parsed');

    const [line] = lines();
    expect(line).toMatchObject({ service: 'parser', level: 'info', uid: 'abc', msg: 'invite parsed' });
    expect(new Date(String(line!['time'])).toISOString()).toBe(line!['time']);
  });

  test('When an AppError with a cause is logged, then code, retryable and the cause chain are serialised', () => {
    const { log, lines } = captureLog();
    const err = new AppError({ code: 'MONGO_UNAVAILABLE', message: 'no primary', retryable: true, cause: new Error('ECONNRESET') });

    log.error({ err }, 'write failed');

    expect(lines()[0]!['err']).toMatchObject({
      type: 'AppError',
      code: 'MONGO_UNAVAILABLE',
      retryable: true,
      message: 'no primary',
      cause: { message: 'ECONNRESET' },
    });
  });

  test('When a non-Error is thrown and logged, then it is still serialised as an object', () => {
    const { log, lines } = captureLog();

    log.error({ err: 'plain string' }, 'odd failure');

    expect(lines()[0]!['err']).toEqual({ type: 'string', message: 'plain string' });
  });

  test('When a line carries secret-looking keys, then their values are redacted at any shallow depth', () => {
    const { log, lines } = captureLog();

    log.info({ password: 'p1', smtp: { token: 't1' }, req: { headers: { authorization: 'Bearer x' } } }, 'connecting');

    const text = JSON.stringify(lines()[0]);
    expect(text).not.toMatch(/p1|t1|Bearer x/);
    expect(lines()[0]).toMatchObject({ password: '[REDACTED]', smtp: { token: '[REDACTED]' } });
  });

  test('When an AppError carries a secret in its details, then the serialised error has it redacted', () => {
    const { log, lines } = captureLog();
    const err = new AppError({ code: 'MONGO_UNAVAILABLE', message: 'no primary', retryable: true, details: { mongoUrl: 'mongodb://u:pw@h' } });

    log.error({ err }, 'connect failed');

    expect(JSON.stringify(lines()[0])).not.toContain('u:pw');
    expect(lines()[0]!['err']).toMatchObject({ type: 'AppError', code: 'MONGO_UNAVAILABLE', details: { mongoUrl: '[REDACTED]' } });
  });

  test('When a logged object holds a secret, then the caller\'s object is left as it was', () => {
    const { log, lines } = captureLog();
    const smtp = { host: 'relay', auth: { password: 'p1' } };
    const recipients = [{ address: 'a@example.org', token: 't1' }];

    log.info({ smtp, recipients }, 'sending');

    expect(lines()[0]).toMatchObject({ smtp: { host: 'relay', auth: { password: '[REDACTED]' } }, recipients: [{ address: 'a@example.org', token: '[REDACTED]' }] });
    expect(smtp.auth.password).toBe('p1');
    expect(recipients[0]!.token).toBe('t1');
  });
});
