// Issue 15 point 3 at the listener, in-process on loopback, storing into a real JetStream object
// store: STARTTLS with a certificate made here (selfsigned, thrown away with the test), the
// submission listener's AUTH rules (RFC 4954, RFC 6409), the per-address connection limit, and
// the relay rule that still holds for an authenticated user.
import { scryptSync } from 'node:crypto';
import { Objm } from '@nats-io/obj';
import bcrypt from 'bcryptjs';
import { createTransport } from 'nodemailer';
import { generate } from 'selfsigned';
import { connectNats, type NatsHandle, openRawMailStreamWriter } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { testNatsAuth, testNatsUrl, uniqueSuffix } from '@inviteflow/testing';
import { storeAndAnnounce } from '../src/handlers/mail-accepted.handler';
import { type RunningSmtpListener, startSmtpListener } from '../src/smtp/smtp.listener';
import type { SmtpSecurity } from '../src/smtp/smtp.security-options';
import { SmtpTestClient } from './smtp.test-client';

interface Logged { level: string; fields: Record<string, unknown>; message?: string }

let nats: NatsHandle;
let tls: { cert: Buffer; key: Buffer };
let bucket: string;
let listener: RunningSmtpListener | undefined;
let published: eventsV1.MailReceived[];
let logged: Logged[];
const clients: SmtpTestClient[] = [];

const USERS = new Map([
  ['crm-bot', bcrypt.hashSync('right horse battery', 4)],
  ['relay', `$scrypt$${Buffer.from('salt-1').toString('base64')}$${scryptSync('staple', Buffer.from('salt-1'), 64).toString('base64')}`],
]);

beforeAll(async () => {
  nats = await connectNats({ servers: testNatsUrl(), name: 'ingest-security-int-test', auth: testNatsAuth() });
  // A throw-away certificate for 127.0.0.1 (SAN), as the local cluster makes one at set-up.
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048, algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  });
  tls = { cert: Buffer.from(pems.cert), key: Buffer.from(pems.private) };
}, 60_000);

afterAll(async () => {
  await nats.drain();
});

beforeEach(() => {
  bucket = `ingest-sec-${uniqueSuffix()}`;
  published = [];
  logged = [];
});

afterEach(async () => {
  clients.splice(0).forEach((client) => client.destroy());
  await listener?.close(1000);
  listener = undefined;
  await (await new Objm(nats.nc).open(bucket)).destroy().catch(() => undefined);
});

const log = Object.fromEntries(['info', 'warn', 'error'].map((level) => [level, (fields: Record<string, unknown>, message?: string) => void logged.push({ level, fields, message })])) as
  { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void };

async function startListener(security: SmtpSecurity): Promise<number> {
  const rawMail = await openRawMailStreamWriter(nats.nc, { bucket });
  listener = await startSmtpListener({
    host: '127.0.0.1', port: 0, hostname: 'ingest.test', domains: ['example.org'], maxMessageBytes: 1024 * 1024,
    reverseDns: 'auto', transactionTimeoutMs: 60_000, minDataRateBps: 0, dataRateGraceMs: 0, log, security,
    accept: async (mail) => {
      await storeAndAnnounce(mail, { rawMail, publish: async (_subject, payload) => void published.push(eventsV1.MailReceived.decode(payload)) });
    },
  });
  return listener.port;
}

async function connect(port: number): Promise<SmtpTestClient> {
  const client = await SmtpTestClient.connect(port);
  clients.push(client);
  return client;
}

/** nodemailer as a real client: STARTTLS required, trusting only the test's certificate. */
async function send(port: number, opts: { auth?: { user: string; pass: string }; to?: string } = {}) {
  const transport = createTransport({
    host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { ca: [tls.cert], servername: 'localhost' }, ...(opts.auth ? { auth: opts.auth } : {}),
  });
  try {
    return await transport.sendMail({
      envelope: { from: 'marge@example.com', to: [opts.to ?? 'homer@example.org'] },
      raw: 'Message-ID: <secure@test.example>\r\nFrom: marge@example.com\r\nTo: homer@example.org\r\nSubject: hi\r\n\r\nhello\r\n',
    });
  } finally {
    transport.close();
  }
}

describe('ingest SMTP security', () => {
  test('Given a certificate, when a client upgrades with STARTTLS, then the mail is accepted and recorded as received over TLS', async () => {
    // Arrange
    const port = await startListener({ tls });

    // Act
    const info = await send(port);

    // Assert
    expect(info.response).toMatch(/^250 2\.0\.0 queued as /);
    expect(published).toHaveLength(1);
    expect(published[0]!.authInputs).toMatchObject({ clientIp: '127.0.0.1', tls: true, smtpAuthUser: '' });
  });

  test('Given no certificate, when a client asks for STARTTLS, then it is not offered and plain delivery still works', async () => {
    // Arrange
    const client = await connect(await startListener({}));

    // Act
    const ehlo = await client.command('EHLO client.test');
    const starttls = await client.command('STARTTLS');

    // Assert
    expect(ehlo).not.toContain('STARTTLS');
    expect(starttls).toMatch(/^5\d\d /);
  });

  test('Given a submission listener, when MAIL comes before AUTH, then it is refused with 530 and nothing is stored', async () => {
    // Arrange
    const client = await connect(await startListener({ tls, users: USERS }));
    await client.command('EHLO client.test');

    // Act
    const mail = await client.command('MAIL FROM:<marge@example.com>');

    // Assert
    expect(mail).toMatch(/^530 /);
    expect(published).toEqual([]);
  });

  test('Given a submission listener, when AUTH comes before STARTTLS, then it is refused and the password is never taken in the clear', async () => {
    // Arrange
    const client = await connect(await startListener({ tls, users: USERS }));
    const ehlo = await client.command('EHLO client.test');

    // Act
    const auth = await client.command(`AUTH PLAIN ${Buffer.from('\0crm-bot\0right horse battery').toString('base64')}`);

    // Assert: smtp-server lists AUTH in the EHLO before TLS too, but refuses it (538, RFC 4954
    // §4) before looking at the credentials: none is checked, nothing is logged as a failure.
    expect(ehlo).toContain('STARTTLS');
    expect(auth).toMatch(/^538 .*STARTTLS/);
    expect(logged.filter((l) => l.fields['code'] === 'SMTP_AUTH_FAILED')).toEqual([]);
    expect(published).toEqual([]);
  });

  test('Given a submission listener, when a user authenticates after STARTTLS with the right password (bcrypt or scrypt), then the mail is accepted with the user recorded', async () => {
    // Arrange
    const port = await startListener({ tls, users: USERS });

    // Act
    const bcryptUser = await send(port, { auth: { user: 'crm-bot', pass: 'right horse battery' } });
    const scryptUser = await send(port, { auth: { user: 'relay', pass: 'staple' } });

    // Assert
    expect(bcryptUser.response).toMatch(/^250 /);
    expect(scryptUser.response).toMatch(/^250 /);
    expect(published.map((m) => [m.authInputs?.smtpAuthUser, m.authInputs?.tls])).toEqual([['crm-bot', true], ['relay', true]]);
  });

  test('Given a submission listener, when the password is wrong or the user unknown, then AUTH gets 535 5.7.8, SMTP_AUTH_FAILED is logged without the password, and nothing is stored', async () => {
    // Arrange
    const port = await startListener({ tls, users: USERS });

    // Act
    const wrong = await send(port, { auth: { user: 'crm-bot', pass: 'wrong horse' } }).catch((err: { responseCode?: number; response?: string }) => err);
    const unknown = await send(port, { auth: { user: 'mallory', pass: 'staple' } }).catch((err: { responseCode?: number; response?: string }) => err);

    // Assert
    for (const refused of [wrong, unknown]) expect(refused).toMatchObject({ responseCode: 535, response: expect.stringContaining('5.7.8') });
    expect(logged.filter((l) => l.fields['code'] === 'SMTP_AUTH_FAILED').map((l) => l.fields['user'])).toEqual(['crm-bot', 'mallory']);
    expect(JSON.stringify(logged)).not.toContain('wrong horse');
    expect(published).toEqual([]);
  });

  test('Given an authenticated submission user, when a recipient is outside our domains, then the relay rule still refuses it with 550', async () => {
    // Arrange
    const port = await startListener({ tls, users: USERS });

    // Act
    const refused = await send(port, { auth: { user: 'crm-bot', pass: 'right horse battery' }, to: 'someone@elsewhere.example' })
      .catch((err: { responseCode?: number; response?: string }) => err);

    // Assert
    expect(refused).toMatchObject({ responseCode: 550, response: expect.stringContaining('relay not permitted') });
    expect(published).toEqual([]);
  });

  test('Given a limit of 2 connections per address, when a third connects, then it gets 421 4.7.0 and is closed, and a slot freed by QUIT is usable again', async () => {
    // Arrange
    const port = await startListener({ maxConnectionsPerIp: 2 });
    const first = await connect(port);
    const second = await connect(port);

    // Act
    const third = await connect(port);
    await Promise.race([third.closed, new Promise((resolve) => setTimeout(resolve, 5000))]);
    await first.quit();
    const fourth = await eventuallyGreeted(port);

    // Assert
    expect(first.replies[0]).toMatch(/^220 /);
    expect(second.replies[0]).toMatch(/^220 /);
    expect(third.replies[0]).toMatch(/^421 4\.7\.0 too many connections from 127\.0\.0\.1/);
    expect(third.isClosed).toBe(true);
    expect(logged.some((l) => l.fields['code'] === 'SMTP_TOO_MANY_CONNECTIONS')).toBe(true);
    expect(fourth).toMatch(/^220 /);
  });
});

/**
 * The server counts a connection out when it sees the close, a moment after the client's
 * QUIT: a few tries (each a new connection) until one is greeted with 220, at most 50.
 */
async function eventuallyGreeted(port: number): Promise<string> {
  let greeting = '';
  for (let i = 0; i < 50 && !greeting.startsWith('220'); i++) {
    const client = await connect(port);
    greeting = client.replies[0] ?? '';
    if (!greeting.startsWith('220')) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return greeting;
}
