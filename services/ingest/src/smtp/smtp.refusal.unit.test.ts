import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@inviteflow/runtime';
import { INGEST_ERROR_CODES, isSmtpRefusal, messageTooLarge } from './smtp.refusal';

const errorCodesDoc = readFileSync(join(__dirname, '../../../../docs/error-codes.md'), 'utf8');

describe('ingest error codes', () => {
  test.each(Object.values(INGEST_ERROR_CODES))('When %s is defined, then docs/error-codes.md has a row for it', (code) => {
    expect(errorCodesDoc).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });

  test('When a message is too large, then the refusal is an AppError smtp-server answers with 552', () => {
    const refusal = messageTooLarge(1024);

    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'MESSAGE_TOO_LARGE', responseCode: 552, retryable: false });
    expect(refusal.message).toMatch(/^5\.3\.4 /);
    expect(isSmtpRefusal(refusal)).toBe(true);
    expect(isSmtpRefusal(new AppError({ code: 'X', message: 'x', retryable: true }))).toBe(false);
  });
});
