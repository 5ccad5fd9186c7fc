import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { checkImapGreeting, checkSmtpBanner } from './health-check';
import { LocalMailServer, greenMailProperties, startLocalMailServer } from './local-mail';
import { INFRA_ERROR_CODES } from './infra.errors';
import { infraPaths } from './paths';

describe('startLocalMailServer (GreenMail standalone on loopback)', () => {
  let server: LocalMailServer;

  beforeAll(async () => {
    server = await startLocalMailServer(infraPaths(), {
      users: [{ email: 'homer@example.org', password: 'donuts' }],
      name: 'greenmail-int',
    });
  }, 90_000);

  afterAll(async () => {
    await server?.proc.stop();
  });

  test('Given a started server, when its ports are greeted, then SMTP says 220 and IMAP says * OK on 127.0.0.1', async () => {
    expect(server.smtp.host).toBe('127.0.0.1');
    expect(await checkSmtpBanner(server.smtp)).toMatch(/^220 /);
    expect(await checkImapGreeting(server.imap)).toMatch(/^\* OK/);
  });

  test('Given a configured user, when a mail is sent over SMTP with nodemailer, then IMAP returns it with its content', async () => {
    // Arrange
    const transport = createTransport({ host: server.smtp.host, port: server.smtp.port, secure: false, ignoreTLS: true });
    const messageId = `<int-${Date.now()}@inviteflow.test>`;
    // Act
    await transport.sendMail({
      from: 'marge@example.com', to: 'homer@example.org', subject: 'Bakery tasting', messageId,
      text: 'Tuesday at ten.', icalEvent: { method: 'REQUEST', content: 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n' },
    });
    transport.close();
    // Assert: read back as the CRM's mail account would (issue 12's intake path)
    const client = new ImapFlow({ host: server.imap.host, port: server.imap.port, secure: false, auth: { user: 'homer@example.org', pass: 'donuts' }, logger: false });
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      const found = await client.search({ header: { 'message-id': messageId } }, { uid: true });
      expect(found).toHaveLength(1);
      const message = await client.fetchOne(String((found as number[])[0]), { source: true, envelope: true }, { uid: true });
      expect(message && message.envelope?.subject).toBe('Bakery tasting');
      const source = message && message.source ? message.source.toString('utf8') : '';
      expect(source).toContain('Tuesday at ten.');
      expect(source).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    } finally {
      await client.logout();
    }
  });

  test('Given a wrong password, when IMAP logs in, then it is refused', async () => {
    const client = new ImapFlow({ host: server.imap.host, port: server.imap.port, secure: false, auth: { user: 'homer@example.org', pass: 'wrong' }, logger: false });
    await expect(client.connect()).rejects.toThrow();
  });

  test('Given a mail for an address nobody configured, when it is sent, then the REST API lists it in that mailbox', async () => {
    const transport = createTransport({ host: server.smtp.host, port: server.smtp.port, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: 'homer@example.org', to: 'info@bakery.example.com', subject: 'Order', text: 'Twelve donuts.' });
    transport.close();
    const response = await fetch(new URL('api/user/info@bakery.example.com/messages/INBOX', server.apiUrl));
    expect(response.status).toBe(200);
    const messages = (await response.json()) as Array<{ subject: string; mimeMessage: string }>;
    expect(messages.map((m) => m.subject)).toEqual(['Order']);
    expect(messages[0]?.mimeMessage).toContain('Twelve donuts.');
  });
});

describe('greenMailProperties', () => {
  test('When a password holds a separator of GreenMail\'s user syntax, then it is refused by name', () => {
    expect(() => greenMailProperties({ smtp: 1, imap: 2, api: 3, users: [{ email: 'a@example.org', password: 'x:y' }] }))
      .toThrow(expect.objectContaining({ code: INFRA_ERROR_CODES.badMailUser }));
  });

  test('When users are given, then every service binds 127.0.0.1 and logins are whole addresses', () => {
    const props = greenMailProperties({ smtp: 1, imap: 2, api: 3, users: [{ email: 'homer@example.org', password: 'donuts' }] });
    expect(props).toEqual(expect.arrayContaining([
      '-Dgreenmail.smtp.hostname=127.0.0.1', '-Dgreenmail.imap.hostname=127.0.0.1', '-Dgreenmail.api.hostname=127.0.0.1',
      '-Dgreenmail.users.login=email', '-Dgreenmail.users=homer:donuts@example.org',
    ]));
  });
});

describe('the run\'s mail server (Jest global set-up)', () => {
  test('Given the global set-up, when a test reads MAIL_SMTP_URL and MAIL_IMAP_URL, then both answer their protocol', async () => {
    const smtp = new URL(process.env['MAIL_SMTP_URL'] ?? 'smtp://unset:0');
    const imap = new URL(process.env['MAIL_IMAP_URL'] ?? 'imap://unset:0');
    expect(await checkSmtpBanner({ host: smtp.hostname, port: Number(smtp.port) })).toMatch(/^220 /);
    expect(await checkImapGreeting({ host: imap.hostname, port: Number(imap.port) })).toMatch(/^\* OK/);
  });
});
