// MailboxService over gRPC, ingest started through its real start(): the run's NATS-less
// private server, the Mongo-wire stand-in and the run's GreenMail. Bad input is refused with
// its own code; a secret never comes back out, neither in answers nor in ingest's log.
import { Writable } from 'node:stream';
import type { ServiceError } from '@grpc/grpc-js';
import { ingestV1 } from '@inviteflow/proto-gen';
import { callUnary, clientCredentials, clientChannelOptions, reasonOf } from '@inviteflow/rpc';
import { type InProcessRunning, startInProcess, testGrpcSecurity, testMailServer, uniqueSuffix } from '@inviteflow/testing';
import { ingestConfig } from '../src/config';
import { start } from '../src/start';
import { append, greenMailMailbox, invitation } from './imap.test-client';

const WAIT_MS = 30_000;
const logLines: string[] = [];
let ingest: InProcessRunning;
let client: ingestV1.MailboxServiceClient;

beforeAll(async () => {
  const logDestination = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
  ingest = await startInProcess({ service: 'ingest', schema: ingestConfig, start }, {
    ACCEPT_DOMAINS: 'example.org', IMAP_RETRY_MIN_MS: '50', IMAP_RETRY_MAX_MS: '500', LOG_LEVEL: 'debug',
  }, { logDestination });
  const address = `127.0.0.1:${ingest.ports['grpc']}`;
  const security = testGrpcSecurity().client('test');
  client = new ingestV1.MailboxServiceClient(address, clientCredentials(security), clientChannelOptions(address, security));
}, 120_000);

afterAll(async () => {
  client?.close();
  await ingest?.stop();
});

const add = (req: Partial<ingestV1.AddMailboxRequest>) =>
  callUnary<ingestV1.AddMailboxResponse>((md, o, cb) => client.addMailbox(ingestV1.AddMailboxRequest.fromPartial(req), md, o, cb), 5000);
const list = () => callUnary<ingestV1.ListMailboxesResponse>((md, o, cb) => client.listMailboxes({}, md, o, cb), 5000);
const statusOf = (id: string) => callUnary<ingestV1.MailboxStatusResponse>((md, o, cb) => client.mailboxStatus({ id }, md, o, cb), 5000);
const remove = (id: string) => callUnary<ingestV1.RemoveMailboxResponse>((md, o, cb) => client.removeMailbox({ id }, md, o, cb), 5000);

async function reason(call: Promise<unknown>): Promise<string | undefined> {
  const err = await call.then(() => { throw new Error('expected the call to fail'); }, (e: unknown) => e as ServiceError);
  return reasonOf(err);
}

/** A GreenMail user whose password appears nowhere else (the shared helper's password is the address). */
async function userWithOwnPassword(): Promise<{ user: string; password: string }> {
  const user = `admin-${uniqueSuffix()}@example.org`;
  const password = `pw-${uniqueSuffix()}-secret`;
  const res = await fetch(new URL('api/user', testMailServer().apiUrl!), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user, login: user, password }),
  });
  if (!res.ok) throw new Error(`GreenMail refused the user: HTTP ${res.status}`);
  return { user, password };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('Given a running ingest, when a GreenMail mailbox is added, then it is listed without its password and its poller takes an appended mail', async () => {
  // Arrange
  const { user, password } = await userWithOwnPassword();
  const def = await greenMailMailbox({ auth: { user, password } });
  // Act
  const added = await add({ id: def.id, host: def.host, port: def.port, tls: false, user, password: { value: password }, pollIntervalSeconds: 1 });
  const uid = await append(def, invitation(`<grpc-${def.id}@example.net>`));
  // Assert
  expect(added.mailbox).toMatchObject({ id: def.id, secret: 'set', authKind: 'password', folder: 'INBOX', after: { flag: '$InviteflowProcessed' } });
  const listed = (await list()).mailboxes.find((m) => m.id === def.id);
  expect(listed).toMatchObject({ host: def.host, port: def.port, user: def.auth.user, secret: 'set', pollIntervalSeconds: 1 });
  const state = await until('the appended mail to be processed', async () => {
    const s = (await statusOf(def.id)).mailboxes[0];
    // The checkpoint moves first, the status (backlog) is written after it: wait for both.
    return s && s.lastUid >= uid && s.backlog === 0 ? s : undefined;
  });
  expect(state).toMatchObject({ id: def.id, connected: true, lastErrorCode: '', backlog: 0 });
  expect(state.leaseHolder).not.toBe('');
  expect(JSON.stringify(await list())).not.toContain(password);
  expect(logLines.join('')).not.toContain(password);
});

test('Given a mailbox with a wrong password, when its status is asked, then it says IMAP_AUTH_FAILED without the password, and removing it stops it', async () => {
  const def = await greenMailMailbox();
  const wrong = `wrong-${def.id}-pw`;
  await add({ id: def.id, host: def.host, port: def.port, user: def.auth.user, password: { value: wrong } });

  const state = await until('the login failure to be recorded', async () => {
    const s = (await statusOf(def.id)).mailboxes[0];
    return s?.lastErrorCode ? s : undefined;
  });
  expect(state).toMatchObject({ lastErrorCode: 'IMAP_AUTH_FAILED', connected: false });
  expect(state.lastError).not.toContain(wrong);

  await remove(def.id);
  expect((await list()).mailboxes.map((m) => m.id)).not.toContain(def.id);
  expect(await reason(statusOf(def.id))).toBe('MAILBOX_NOT_FOUND');
  expect(await reason(remove(def.id))).toBe('MAILBOX_NOT_FOUND');
  expect(logLines.join('')).not.toContain(wrong);
});

test('When a mailbox of an existing id is added again, then MAILBOX_EXISTS, and with replace it is replaced', async () => {
  const req = { id: 'twice', host: '127.0.0.1', port: 1, user: 'u', password: { value: 'first-secret-value' } };
  await add(req);
  expect(await reason(add(req))).toBe('MAILBOX_EXISTS');
  const replaced = await add({ ...req, password: undefined, accessToken: { env: 'MAILBOX_SECRET_TWICE' }, replace: true });
  expect(replaced).toMatchObject({ replaced: true, mailbox: { authKind: 'oauth2', secret: 'env:MAILBOX_SECRET_TWICE' } });
  // The reference is read at connect: the variable is unset, so the poller says so, by name only.
  const state = await until('the unreadable secret to be recorded', async () => {
    const s = (await statusOf('twice')).mailboxes[0];
    return s?.lastErrorCode === 'MAILBOX_SECRET_UNREADABLE' ? s : undefined;
  });
  expect(state.lastError).toContain('MAILBOX_SECRET_TWICE');
  await remove('twice');
});

test.each<[string, Partial<ingestV1.AddMailboxRequest>, string]>([
  ['a host with a scheme', { host: 'imap://x' }, 'MAILBOX_INVALID_SERVER'],
  ['no secret', { password: undefined }, 'MAILBOX_SECRET_REQUIRED'],
  ['a file reference while ingest has no secrets directory', { password: { file: '/var/run/secrets/x' } }, 'MAILBOX_SECRET_REF_INVALID'],
  ['an env reference to another variable', { password: { env: 'MONGO_URL' } }, 'MAILBOX_SECRET_REF_INVALID'],
  ['\\Deleted as after-processing', { after: { flag: '\\Deleted' } }, 'MAILBOX_INVALID_AFTER'],
])('When a mailbox is added with %s, then the call is refused with its code and nothing is stored', async (_what, over, code) => {
  const id = `bad-${code.toLowerCase().replace(/_/g, '-')}`;
  expect(await reason(add({ id, host: 'imap.example.com', user: 'u', password: { value: 'pw' }, ...over }))).toBe(code);
  expect((await list()).mailboxes.map((m) => m.id)).not.toContain(id);
});
