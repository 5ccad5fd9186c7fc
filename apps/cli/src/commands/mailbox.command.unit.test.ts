import { ingestV1 } from '@inviteflow/proto-gen';
import { addRequest, mailboxesText } from './mailbox.command';

const noStdin = (): string => { throw new Error('stdin not expected'); };

describe('mailbox add request', () => {
  test('When the password comes on stdin, then its trailing newline is dropped and TLS is on by default', () => {
    const req = addRequest('crm', { host: 'imap.example.com', user: 'crm@example.com', 'password-stdin': true }, () => 's3cret\n');
    expect(req).toMatchObject({ id: 'crm', host: 'imap.example.com', tls: true, port: 0, password: { value: 's3cret' }, replace: false });
  });

  test('When a file or variable is named, then only the reference is sent, for ingest to read', () => {
    expect(addRequest('a', { host: 'h', user: 'u', 'password-file': '/var/run/secrets/x' }, noStdin).password).toEqual({ file: '/var/run/secrets/x' });
    expect(addRequest('a', { host: 'h', user: 'u', 'token-env': 'MAILBOX_SECRET_A', 'move-to': 'Done', 'no-tls': true }, noStdin))
      .toMatchObject({ accessToken: { env: 'MAILBOX_SECRET_A' }, after: { moveToFolder: 'Done' }, tls: false });
  });

  test.each<[string, Parameters<typeof addRequest>[1]]>([
    ['no secret', { host: 'h', user: 'u' }],
    ['two password sources', { host: 'h', user: 'u', password: 'p', 'password-env': 'MAILBOX_SECRET_X' }],
    ['a password and a token', { host: 'h', user: 'u', 'password-file': '/f', 'token-file': '/g' }],
    ['no host', { user: 'u', 'password-file': '/f' }],
    ['--move-to and --flag', { host: 'h', user: 'u', 'password-file': '/f', 'move-to': 'A', flag: 'B' }],
    ['a port that is not a number', { host: 'h', user: 'u', 'password-file': '/f', port: 'imap' }],
  ])('When the command line has %s, then it is a usage error', (_what, opts) => {
    expect(() => addRequest('a', opts, noStdin)).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }));
  });
});

describe('mailbox listing', () => {
  test('When a mailbox is listed, then the secret column says where the secret is, never a value', () => {
    const text = mailboxesText([ingestV1.Mailbox.fromPartial({ id: 'crm', host: 'h', port: 993, tls: true, user: 'u', authKind: 'password', secret: 'set', folder: 'INBOX', after: { flag: '$InviteflowProcessed' } })]);
    expect(text).toMatch(/crm\s+h:993\s+yes\s+u\s+password\s+password: set\s+INBOX\s+flag \$InviteflowProcessed\s+default/);
  });
});
