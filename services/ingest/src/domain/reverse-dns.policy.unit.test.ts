import { reverseLookupEnabled } from './reverse-dns.policy';

describe('reverseLookupEnabled', () => {
  test.each([
    ['auto', '127.0.0.1', false],
    ['auto', '127.1.2.3', false],
    ['auto', 'localhost', false],
    ['auto', '::1', false],
    ['auto', '[::1]', false],
    ['auto', '0.0.0.0', true],
    ['auto', '10.0.0.5', true],
    ['auto', 'mx.example.org', true],
    ['on', '127.0.0.1', true],
    ['off', '0.0.0.0', false],
  ] as const)('When SMTP_REVERSE_DNS=%s and the listener binds %s, then the look-up is %s', (mode, host, expected) => {
    expect(reverseLookupEnabled(mode, host)).toBe(expected);
  });
});
