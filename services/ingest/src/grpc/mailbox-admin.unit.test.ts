import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ingestV1 } from '@inviteflow/proto-gen';
import { checkSecretRef, readSecret, resolveMailboxAuth } from '../secrets/mailbox-secret';
import { MAILBOX_ADMIN_ERROR_CODES, STATUS_BY_REASON } from './mailbox.errors';
import { toMailbox } from './mailbox.grpc';
import { toMailboxDefinition } from './mailbox.request';

const errorCodesDoc = readFileSync(join(__dirname, '../../../../docs/error-codes.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'mailbox-secrets-'));
const secretsDir = join(dir, 'secrets');
mkdirSync(secretsDir);
writeFileSync(join(secretsDir, 'crm-password'), 'from-the-file\n');
writeFileSync(join(dir, 'outside'), 'not-for-you');
symlinkSync(join(dir, 'outside'), join(secretsDir, 'sneaky'));

const base = (over: Partial<ingestV1.AddMailboxRequest> = {}): ingestV1.AddMailboxRequest =>
  ingestV1.AddMailboxRequest.fromPartial({ id: 'crm', host: 'imap.example.com', tls: true, user: 'crm@example.com', password: { value: 's3cret' }, ...over });

async function codeOf(req: ingestV1.AddMailboxRequest): Promise<string | undefined> {
  return toMailboxDefinition(req, { secretsDir }).then(() => undefined, (err: { code?: string }) => err.code);
}

describe('mailbox admin codes', () => {
  test.each(Object.values(MAILBOX_ADMIN_ERROR_CODES))('When %s is defined, then docs/error-codes.md has a row and it has a gRPC status', (code) => {
    expect(errorCodesDoc).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
    expect(STATUS_BY_REASON[code]).toBeDefined();
  });
});

describe('AddMailbox request', () => {
  test('When a request gives only the essentials, then port, folder and after-processing get their defaults', async () => {
    const { def } = await toMailboxDefinition(base(), { secretsDir });
    expect(def).toEqual({
      id: 'crm', host: 'imap.example.com', port: 993, tls: true, auth: { user: 'crm@example.com', password: 's3cret' },
      folder: 'INBOX', after: { kind: 'flag', flag: '$InviteflowProcessed' },
    });
  });

  test.each<[string, Partial<ingestV1.AddMailboxRequest>, string]>([
    ['a bad id', { id: '../x' }, 'MAILBOX_INVALID_ID'],
    ['a URL as host', { host: 'imaps://imap.example.com' }, 'MAILBOX_INVALID_SERVER'],
    ['a port out of range', { port: 70000 }, 'MAILBOX_INVALID_SERVER'],
    ['an empty user', { user: ' ' }, 'MAILBOX_INVALID_USER'],
    ['no secret', { password: undefined }, 'MAILBOX_SECRET_REQUIRED'],
    ['a password and a token', { accessToken: { value: 't' } }, 'MAILBOX_SECRET_REQUIRED'],
    ['a password with a line break', { password: { value: 'a\r\nb' } }, 'MAILBOX_SECRET_REQUIRED'],
    ['a folder with a wildcard', { folder: 'INBOX/*' }, 'MAILBOX_INVALID_FOLDER'],
    ['\\Deleted as the flag', { after: { flag: '\\Deleted' } }, 'MAILBOX_INVALID_AFTER'],
    ['moving into the folder read', { after: { moveToFolder: 'INBOX' } }, 'MAILBOX_INVALID_AFTER'],
    ['a poll interval over an hour', { pollIntervalSeconds: 3601 }, 'MAILBOX_INVALID_POLL_INTERVAL'],
    ['an env reference without the prefix', { password: { env: 'MONGO_URL' } }, 'MAILBOX_SECRET_REF_INVALID'],
    ['a file outside the secrets directory', { password: { file: '/etc/passwd' } }, 'MAILBOX_SECRET_REF_INVALID'],
    ['a relative file', { password: { file: 'secrets/crm-password' } }, 'MAILBOX_SECRET_REF_INVALID'],
    ['a link out of the secrets directory', { password: { file: join(secretsDir, 'sneaky') } }, 'MAILBOX_SECRET_REF_INVALID'],
    ['a missing file in the secrets directory', { password: { file: join(secretsDir, 'nope') } }, 'MAILBOX_SECRET_UNREADABLE'],
  ])('When the request has %s, then it is refused with its own code', async (_what, over, code) => {
    expect(await codeOf(base(over))).toBe(code);
  });

  test('When a refusal is about the secret, then its message does not hold the secret', async () => {
    const err = await toMailboxDefinition(base({ password: { value: 'hunter2\n' } }), { secretsDir }).catch((e: Error) => e);
    expect(String((err as Error).message)).not.toContain('hunter2');
  });

  test('When the ingest has no secrets directory, then file references are refused', async () => {
    const err = await toMailboxDefinition(base({ password: { file: join(secretsDir, 'crm-password') } }), {}).catch((e: { code: string }) => e);
    expect(err).toMatchObject({ code: 'MAILBOX_SECRET_REF_INVALID' });
  });

  test('When a token is given by file reference, then the definition keeps only the reference and the listing shows where it is', async () => {
    const file = join(secretsDir, 'crm-password');
    const { def } = await toMailboxDefinition(base({ password: undefined, accessToken: { file } }), { secretsDir });
    expect(def.auth).toEqual({ user: 'crm@example.com', accessTokenRef: { file } });
    expect(toMailbox(def)).toMatchObject({ authKind: 'oauth2', secret: `file:${file}` });
    expect(toMailbox({ ...def, auth: { user: 'u', password: 's3cret' } })).toMatchObject({ authKind: 'password', secret: 'set' });
    expect(JSON.stringify(toMailbox({ ...def, auth: { user: 'u', password: 's3cret' } }))).not.toContain('s3cret');
  });
});

describe('secret references', () => {
  test('When a file reference is resolved, then the trailing newline is dropped', async () => {
    await expect(resolveMailboxAuth({ user: 'u', passwordRef: { file: join(secretsDir, 'crm-password') } })).resolves.toEqual({ user: 'u', password: 'from-the-file' });
  });

  test('When an env reference is resolved, then the variable is read at that moment', async () => {
    await expect(readSecret({ env: 'MAILBOX_SECRET_CRM' }, { MAILBOX_SECRET_CRM: 'tok' })).resolves.toBe('tok');
    await expect(readSecret({ env: 'MAILBOX_SECRET_CRM' }, {})).rejects.toMatchObject({ code: 'MAILBOX_SECRET_UNREADABLE' });
    await expect(readSecret({ env: 'PATH' }, process.env)).rejects.toMatchObject({ code: 'MAILBOX_SECRET_REF_INVALID' });
  });

  test('When a reference is inside the secrets directory, then it passes the check', async () => {
    await expect(checkSecretRef({ file: join(secretsDir, 'crm-password') }, { secretsDir })).resolves.toBeUndefined();
  });
});
