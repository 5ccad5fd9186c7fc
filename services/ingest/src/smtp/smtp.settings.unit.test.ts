import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError, loadConfig } from '@inviteflow/runtime';
import { ingestConfig } from '../config';
import { smtpSettings, submissionSettings } from './smtp.settings';
import { readUsers, verifyUser } from './smtp.security';

const BASE = { NATS_URL: 'nats://127.0.0.1:4222', ACCEPT_DOMAINS: 'example.org' };

function files(): { dir: string; users: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-settings-'));
  const users = join(dir, 'users');
  // Throw-away: "test" hashed with scrypt (salt "s"), not a credential of anything.
  writeFileSync(users, '# submission users\nbot:$scrypt$cw==$G5/AiKuXW22eFyrgviK35AoehijbC8hnUVxbzUV35voHgV+eHpzR8kDs0KWUG5vcvGXb07xTd/hZ6429fz96oQ==\n');
  writeFileSync(join(dir, 'cert.pem'), 'CERT');
  writeFileSync(join(dir, 'key.pem'), 'KEY');
  return { dir, users, cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
}

describe('SMTP security settings', () => {
  test('Given no SMTP_SUBMISSION_PORT, when settings are read, then there is no submission listener and STARTTLS follows the TLS files', () => {
    const f = files();
    const plain = loadConfig(ingestConfig, BASE, { service: 'ingest' });
    const withTls = loadConfig(ingestConfig, { ...BASE, SMTP_TLS_CERT_FILE: f.cert, SMTP_TLS_KEY_FILE: f.key }, { service: 'ingest' });

    expect(submissionSettings(plain)).toBeUndefined();
    expect(smtpSettings(plain).security).toEqual({ maxConnectionsPerIp: 20 });
    expect(smtpSettings(withTls).security?.tls).toEqual({ cert: Buffer.from('CERT'), key: Buffer.from('KEY') });
  });

  test('Given SMTP_SUBMISSION_PORT without TLS files or users, when settings are read, then boot fails with CONFIG_INVALID', () => {
    const f = files();
    const noTls = loadConfig(ingestConfig, { ...BASE, SMTP_SUBMISSION_PORT: '0', SMTP_USERS_FILE: f.users }, { service: 'ingest' });
    const noUsers = loadConfig(ingestConfig, { ...BASE, SMTP_SUBMISSION_PORT: '0', SMTP_TLS_CERT_FILE: f.cert, SMTP_TLS_KEY_FILE: f.key }, { service: 'ingest' });

    for (const config of [noTls, noUsers]) {
      let thrown: unknown;
      try {
        submissionSettings(config);
      } catch (err) {
        thrown = err;
      }
      expect(isAppError(thrown) && thrown.code).toBe('CONFIG_INVALID');
    }
  });

  test('Given a users file, when a submission listener is configured, then it requires those users and the password is checked against the hash', async () => {
    const f = files();
    const config = loadConfig(ingestConfig, { ...BASE, SMTP_SUBMISSION_PORT: '587', SMTP_USERS_FILE: f.users, SMTP_TLS_CERT_FILE: f.cert, SMTP_TLS_KEY_FILE: f.key }, { service: 'ingest' });

    const submission = submissionSettings(config)!;

    expect(submission.port).toBe(587);
    expect([...submission.security!.users!.keys()]).toEqual(['bot']);
    expect(await verifyUser(readUsers(f.users), 'bot', 'test')).toBe(true);
    expect(await verifyUser(readUsers(f.users), 'bot', 'tset')).toBe(false);
  });

  test('Given a users file line without a known hash, when it is read, then it is refused with CONFIG_INVALID', () => {
    const f = files();
    writeFileSync(f.users, 'bot:plaintext-password\n');
    expect(() => readUsers(f.users)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
