import { classifySmtpFailure } from './smtp-failure.classify';

describe('classifying a failed SMTP attempt (RFC 5321 §4.2.1)', () => {
  test.each([
    ['a 550 at RCPT', { code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 <x@y>: Recipient address rejected' }, 'permanent', 550, 'smtp-5xx'],
    ['a 554 after DATA', { code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 Spam' }, 'permanent', 554, 'smtp-5xx'],
    ['a 451 greylisting answer', { code: 'EENVELOPE', responseCode: 451, response: '451 4.7.1 Try again later' }, 'temporary', 451, 'smtp-4xx'],
    ['a 421 at the greeting', { code: 'EPROTOCOL', responseCode: 421, response: '421 Too busy' }, 'temporary', 421, 'smtp-4xx'],
    ['a 552 5.2.2 mailbox full', { code: 'EENVELOPE', responseCode: 552, response: '552 5.2.2 Mailbox full' }, 'temporary', 552, 'mailbox-full'],
    ['refused credentials (535)', { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Authentication failed' }, 'temporary', 535, 'auth-refused'],
    ['a refused connection', { code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:1' }, 'temporary', 0, 'no-reply'],
    ['a timeout', { code: 'ETIMEDOUT', message: 'Greeting never received' }, 'temporary', 0, 'no-reply'],
    ['something that is not an error object', 'boom', 'temporary', 0, 'no-reply'],
  ])('When the attempt ended with %s, then it is %s', (_what, err, kind, smtpCode, rule) => {
    expect(classifySmtpFailure(err)).toMatchObject({ kind, smtpCode, rule });
  });

  test('When the relay answers over several lines, then the reason is one line', () => {
    expect(classifySmtpFailure({ responseCode: 550, response: '550-5.1.1 first\r\n550 5.1.1 second' }).reason).toBe('550-5.1.1 first 550 5.1.1 second');
  });
});
