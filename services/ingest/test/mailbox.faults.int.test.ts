// Mailbox faults against the run's GreenMail: a server reached through a loopback TCP proxy that
// the test cuts (a dropped connection), and polling without IDLE.
import { testMailServer } from '@inviteflow/testing';
import { append, invitation, largeInvitation } from './imap.test-client';
import { errorsSeen, pollerHarness, scannedEmpty, until } from './mailbox.test-harness';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

const MIB = 1024 * 1024;
const harness = pollerHarness('ingest-mailbox-faults-test');
const { newMailbox, startPoller } = harness;
let proxy: TcpProxy | undefined;

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function proxied(): Promise<TcpProxy> {
  proxy = await startTcpProxy(testMailServer().imap);
  return proxy;
}


describe('mailbox faults (GreenMail IMAP)', () => {
  test('Given a server without IDLE in use, when a mail is appended, then the poll at the configured interval takes it', async () => {
    const def = await newMailbox();
    const poller = await startPoller(def, { idle: false, pollIntervalMs: 1000 });
    await until('first scan', () => scannedEmpty(poller));

    await append(def, invitation('<poll-1@example.net>'));
    await until('the polled mail processed', () => poller.status().processed === 1);

    expect(harness.published.map((p) => p.event.messageId)).toEqual(['<poll-1@example.net>']);
  });

  test('Given a connection dropped in the middle of a fetch, when the poller reconnects, then the mail is published once and another mailbox kept working', async () => {
    const tcp = await proxied();
    const flaky = await newMailbox({ port: tcp.port });
    const steady = await newMailbox();
    const flakyPoller = await startPoller(flaky);
    const steadyPoller = await startPoller(steady);
    await until('both scanned', () => scannedEmpty(flakyPoller) && scannedEmpty(steadyPoller));

    // Arrange the cut for 1 MiB into the 4 MiB message's download, then deliver both mails.
    tcp.cutAfterDownstream(MIB);
    const cut = tcp.cutDone();
    await append(flaky, largeInvitation('<dropped-1@example.net>', 4 * MIB));
    await cut;
    await append(steady, invitation('<steady-1@example.net>'));

    await until('the steady mailbox delivered', () => steadyPoller.status().processed === 1);
    await until('the flaky mailbox recovered and delivered', () => flakyPoller.status().processed === 1);
    expect(errorsSeen(flakyPoller)).toBeGreaterThanOrEqual(1);
    expect(flakyPoller.status().lastError?.code).toBe('IMAP_CONNECTION_FAILED');
    expect(await harness.checkpoints.statusOf(flaky.id)).toMatchObject({ lastError: { code: 'IMAP_CONNECTION_FAILED' } });
    const ids = harness.published.map((p) => p.event.messageId).sort();
    expect(ids).toEqual(['<dropped-1@example.net>', '<steady-1@example.net>']);
    expect(harness.published.find((p) => p.event.messageId === '<dropped-1@example.net>')!.event.size).toBeGreaterThan(4 * MIB);
  });

  test('Given IDLE off and a mail appended unseen, when the connection drops, then the scan after the reconnect takes it', async () => {
    const tcp = await proxied();
    const def = await newMailbox({ port: tcp.port });
    const poller = await startPoller(def, { idle: false, pollIntervalMs: 600_000 });
    await until('first scan', () => scannedEmpty(poller));
    await append(def, invitation('<reconnect-1@example.net>'));

    tcp.cut();
    await until('the mail taken after the reconnect', () => poller.status().processed === 1);

    expect(errorsSeen(poller)).toBe(1);
    expect(harness.published.map((p) => p.event.messageId)).toEqual(['<reconnect-1@example.net>']);
  });
});
