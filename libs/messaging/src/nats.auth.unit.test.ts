import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from '@nats-io/nats-core';
import { MESSAGING_ERROR_CODES } from './messaging.errors';
import { natsAuthFromConfig, natsAuthOptions } from './nats.auth';

const dir = mkdtempSync(join(tmpdir(), 'nats-auth-unit-'));

function seedFile(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

describe('NATS client credentials', () => {
  test('Given auth on and no seed file, When the config is read, Then the service refuses to start with NATS_CREDENTIALS_MISSING', () => {
    expect(() => natsAuthFromConfig({ natsAuth: 'nkey' })).toThrow(expect.objectContaining({ code: MESSAGING_ERROR_CODES.natsCredentialsMissing }));
  });

  test('Given NATS_AUTH=off, When the config is read, Then the client connects without an authenticator', () => {
    const auth = natsAuthFromConfig({ natsAuth: 'off' });
    expect(auth.mode).toBe('off');
    expect(natsAuthOptions(auth).authenticator).toBeUndefined();
  });

  test('Given a user seed in the file, When connect options are built, Then they carry an nkey authenticator', () => {
    const seed = new TextDecoder().decode(nkeys.createUser().getSeed());
    const options = natsAuthOptions(natsAuthFromConfig({ natsNkeySeedFile: seedFile('ok.nk', `${seed}\n`) }));
    expect(typeof options.authenticator).toBe('function');
    expect(options.tls).toBeUndefined();
  });

  test('Given a file that holds no user seed, When connect options are built, Then NATS_CREDENTIALS_UNREADABLE names the file but never its content', () => {
    const secretish = 'not-a-seed-but-maybe-a-password';
    const file = seedFile('bad.nk', secretish);
    let caught: unknown;
    try {
      natsAuthOptions({ mode: 'nkey', seedFile: file });
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: MESSAGING_ERROR_CODES.natsCredentialsUnreadable });
    expect((caught as Error).message).toContain(file);
    expect((caught as Error).message).not.toContain(secretish);
  });

  test('Given a missing seed file, When connect options are built, Then NATS_CREDENTIALS_UNREADABLE', () => {
    expect(() => natsAuthOptions({ mode: 'nkey', seedFile: join(dir, 'absent.nk') })).toThrow(expect.objectContaining({ code: MESSAGING_ERROR_CODES.natsCredentialsUnreadable }));
  });

  test('Given a CA file, When connect options are built, Then TLS is on with that CA', () => {
    expect(natsAuthOptions({ mode: 'off', tls: { caFile: '/etc/ca.pem' } }).tls).toEqual({ caFile: '/etc/ca.pem', certFile: undefined, keyFile: undefined });
  });
});
