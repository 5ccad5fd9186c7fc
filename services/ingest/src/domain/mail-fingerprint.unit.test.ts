import { BodyDigest, mailFingerprint } from './mail-fingerprint';

function digestOf(raw: string, chunkSize: number): string {
  const digest = new BodyDigest();
  const bytes = Buffer.from(raw);
  for (let i = 0; i < bytes.length; i += chunkSize) digest.add(bytes.subarray(i, i + chunkSize));
  return digest.digest();
}

describe('mail fingerprint', () => {
  const body = 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n';
  const smtpCopy = `Message-ID: <a@x>\r\nSubject: Lunch\r\n\r\n${body}`;
  const mailboxCopy = `Received: from mx.example.org by imap.example.org\r\nDelivered-To: bob@example.org\r\nMessage-ID: <a@x>\r\nSubject: Lunch\r\n\r\n${body}`;

  test('When two copies differ only in trace headers, then their body digests agree, whatever the chunking', () => {
    const digests = new Set([digestOf(smtpCopy, 1), digestOf(smtpCopy, 7), digestOf(mailboxCopy, 3), digestOf(mailboxCopy, 4096)]);
    expect(digests.size).toBe(1);
  });

  test('When copies differ only in the line breaks ending the body, then their digests agree; inside the body they count', () => {
    const stripped = smtpCopy.replace(/\r\n$/, '');
    const digests = new Set([digestOf(smtpCopy, 1), digestOf(stripped, 1), digestOf(stripped, 9), digestOf(`${smtpCopy}\r\n\r\n`, 2), digestOf(mailboxCopy, 4096)]);
    expect(digests.size).toBe(1);
    expect(digestOf(smtpCopy.replace('BEGIN:VCALENDAR\r\n', 'BEGIN:VCALENDAR\r\n\r\n'), 3)).not.toBe(digestOf(smtpCopy, 3));
  });

  test('When the body differs, then the digest differs', () => {
    expect(digestOf(smtpCopy, 5)).not.toBe(digestOf(`${smtpCopy}changed`, 5));
  });

  test('When a message has no blank line, then everything is hashed (not an empty body)', () => {
    expect(digestOf('Message-ID: <a@x>\r\nSubject: a', 4)).not.toBe(digestOf('Message-ID: <a@x>\r\nSubject: b', 4));
  });

  test('When there is no Message-ID, then there is no fingerprint; otherwise it depends on both parts', () => {
    expect(mailFingerprint('  ', 'abc')).toBeUndefined();
    const keys = new Set([mailFingerprint('<a@x>', 'h1'), mailFingerprint('<b@x>', 'h1'), mailFingerprint('<a@x>', 'h2')]);
    expect(keys.size).toBe(3);
  });
});
