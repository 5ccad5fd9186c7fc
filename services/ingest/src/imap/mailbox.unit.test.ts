import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@inviteflow/runtime';
import { imapMailId } from './imap-mail';
import { classifyImapError, IMAP_ERROR_CODES } from './imap.errors';
import { retryDelayMs } from './mailbox.poller';
import { publicMailbox } from './mailbox.types';

describe('imap mail id', () => {
  test('When the same message is fetched twice, then it gets the same UUID-shaped mail id', () => {
    const id = imapMailId('mb-1', '1700000000', 42);
    expect(imapMailId('mb-1', '1700000000', 42)).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('When mailbox, UIDVALIDITY or UID differ, then the mail ids differ', () => {
    const ids = new Set([imapMailId('mb-1', '1', 1), imapMailId('mb-2', '1', 1), imapMailId('mb-1', '2', 1), imapMailId('mb-1', '1', 2)]);
    expect(ids.size).toBe(4);
  });
});

describe('mailbox retry delay', () => {
  test.each([1, 2, 5, 40])('When %i failures happened, then the delay stays within [ceiling/2, ceiling] and never above the maximum', (failures) => {
    const ceiling = Math.min(10_000, 100 * 2 ** (failures - 1));
    for (let i = 0; i < 50; i += 1) {
      const delay = retryDelayMs(failures, 100, 10_000);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
});

describe('imap error classification', () => {
  test('When imapflow reports a failed login, then the code is IMAP_AUTH_FAILED and retryable', () => {
    const err = classifyImapError(Object.assign(new Error('Command failed'), { authenticationFailed: true, responseText: 'Invalid login' }));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'IMAP_AUTH_FAILED', retryable: true });
  });

  test('When the folder is missing or the socket fails, then the codes say so', () => {
    expect(classifyImapError(Object.assign(new Error('x'), { serverResponseCode: 'NONEXISTENT' })).code).toBe('IMAP_FOLDER_MISSING');
    expect(classifyImapError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe('IMAP_CONNECTION_FAILED');
  });
});

describe('public mailbox view', () => {
  test('When a definition is shown, then neither password nor token is in it', () => {
    const shown = JSON.stringify([
      publicMailbox({ id: 'a', host: 'h', port: 993, tls: true, folder: 'INBOX', after: { kind: 'flag', flag: '$X' }, auth: { user: 'u@x', password: 'p4ss-secret' } }),
      publicMailbox({ id: 'b', host: 'h', port: 993, tls: true, folder: 'INBOX', after: { kind: 'flag', flag: '$X' }, auth: { user: 'u@x', accessToken: 'tok-secret' } }),
    ]);
    expect(shown).not.toMatch(/secret/);
    expect(shown).toContain('"authKind":"oauth2"');
  });
});

describe('ingest error codes', () => {
  const catalogue = readFileSync(join(__dirname, '../../../../docs/error-codes.md'), 'utf8');
  test.each(Object.values(IMAP_ERROR_CODES))('When %s is defined, then docs/error-codes.md has a row for it', (code) => {
    expect(catalogue).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });
});
