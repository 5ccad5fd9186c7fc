import { createServer, type AddressInfo } from 'node:net';
import { startLoopbackRelay, type LoopbackRelay } from '@inviteflow/testing';
import { SmtpDriver } from './smtp.driver';

const invitation = (uid: string, to = 'homer@example.org') => ({
  uid, from: 'ned@example.com', to, raw: Buffer.from(`From: ned@example.com\r\nTo: ${to}\r\nSubject: ${uid}\r\n\r\n.leading dot\r\nbody\r\n`),
});

/** A loopback port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('SmtpDriver', () => {
  let relay: LoopbackRelay | undefined;
  let driver: SmtpDriver | undefined;

  afterEach(async () => {
    driver?.close();
    await relay?.close();
    relay = undefined;
  });

  test('When invitations go through two connections, then each is delivered once, byte for byte', async () => {
    // Arrange
    relay = await startLoopbackRelay();
    driver = new SmtpDriver({ smtp: `127.0.0.1:${relay.port}`, connections: 2, retryForMs: 10_000 });
    const mails = Array.from({ length: 6 }, (_, i) => invitation(`uid-${i}`));

    // Act
    const outcomes = await Promise.all(mails.map((m) => driver!.sendOne(m)));

    // Assert: the dot-stuffing of DATA (RFC 5321 §4.5.2) is undone by the server.
    expect(outcomes.map((o) => [o.uid, o.accepted, o.attempts])).toEqual(mails.map((m) => [m.uid, true, 1]));
    expect(relay.received.map((r) => r.raw.toString()).sort()).toEqual(mails.map((m) => m.raw.toString()).sort());
  });

  test('When nothing listens at first, then the invitation is retried and accepted once the server is up', async () => {
    // Arrange: the sender starts while the port is closed, as during an ingest restart.
    const port = await freePort();
    driver = new SmtpDriver({ smtp: `127.0.0.1:${port}`, connections: 1, retryForMs: 30_000 });
    const sending = driver.sendOne(invitation('late-server'));
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Act
    relay = await startLoopbackRelay({ port });
    const outcome = await sending;

    // Assert
    expect(outcome).toMatchObject({ uid: 'late-server', accepted: true, transient4xx: 0 });
    expect(outcome.connectionErrors).toBeGreaterThanOrEqual(1);
    expect(relay.received).toHaveLength(1);
  });

  test('When the server answers 451 once, then the retry on the same lane is accepted', async () => {
    // Arrange
    relay = await startLoopbackRelay();
    relay.script('bart@example.org', { code: 451, message: 'try later', times: 1 });
    driver = new SmtpDriver({ smtp: `127.0.0.1:${relay.port}`, connections: 1, retryForMs: 10_000 });

    // Act
    const outcome = await driver.sendOne(invitation('greylisted', 'bart@example.org'));
    const next = await driver.sendOne(invitation('after', 'homer@example.org'));

    // Assert: the session was reset, not lost (RFC 5321 §4.1.1.5).
    expect(outcome).toMatchObject({ accepted: true, attempts: 2, transient4xx: 1, connectionErrors: 0 });
    expect(next).toMatchObject({ accepted: true, attempts: 1 });
    expect(relay.rcptTries.get('bart@example.org')).toBe(2);
  });

  test('When the server answers 550, then the invitation is given up at once with the reply', async () => {
    // Arrange
    relay = await startLoopbackRelay();
    relay.script('nobody@example.org', { code: 550, message: 'no such user', times: 99 });
    driver = new SmtpDriver({ smtp: `127.0.0.1:${relay.port}`, connections: 1, retryForMs: 10_000 });

    // Act
    const outcome = await driver.sendOne(invitation('refused', 'nobody@example.org'));

    // Assert
    expect(outcome).toMatchObject({ accepted: false, attempts: 1 });
    expect(outcome.lastError).toMatch(/no such user/);
    expect(relay.received).toHaveLength(0);
  });

  test('When the server answers 421 and closes the connection, then the retry opens a new one and is accepted', async () => {
    // Arrange: 421 ends the session (RFC 5321 §3.8), as ingest does when it shuts down.
    relay = await startLoopbackRelay();
    relay.script('lisa@example.org', { code: 421, message: 'shutting down', times: 1 });
    driver = new SmtpDriver({ smtp: `127.0.0.1:${relay.port}`, connections: 1, retryForMs: 10_000 });
    expect((await driver.sendOne(invitation('first'))).accepted).toBe(true);

    // Act
    const outcome = await driver.sendOne(invitation('closed', 'lisa@example.org'));
    const next = await driver.sendOne(invitation('after-close'));

    // Assert
    expect(outcome).toMatchObject({ uid: 'closed', accepted: true, attempts: 2, transient4xx: 1 });
    expect(next).toMatchObject({ accepted: true, attempts: 1 });
    expect(relay.received.map((r) => r.raw.toString().match(/Subject: (\S+)/)![1])).toEqual(['first', 'closed', 'after-close']);
  });
});
