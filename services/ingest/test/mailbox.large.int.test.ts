// A message over MAX_MESSAGE_BYTES in a mailbox. GreenMail keeps mail in its heap, and the
// run's shared server has 128 MiB: this test starts one of its own with room for 30 MiB, and
// reads it through a loopback proxy that counts what comes down.
import { infraPaths, type LocalMailServer, startLocalMailServer } from '@inviteflow/infra';
import { TOO_LARGE_FLAG } from '../src/imap/mailbox.drain';
import { DEFAULT_PROCESSED_FLAG } from '../src/imap/mailbox.types';
import { append, invitation, largeInvitation } from './imap.test-client';
import { flagsOf, pollerHarness, until } from './mailbox.test-harness';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

const MIB = 1024 * 1024;
const harness = pollerHarness('ingest-mailbox-large-test');
const { newMailbox, startPoller } = harness;
let server: LocalMailServer;
let tcp: TcpProxy;

beforeAll(async () => {
  server = await startLocalMailServer(infraPaths(), { name: 'greenmail-ingest-large', heapMb: 512 });
  tcp = await startTcpProxy(server.imap);
}, 90_000);

afterAll(async () => {
  await tcp?.close();
  await server?.proc.stop();
});

describe('mailbox message size (GreenMail IMAP)', () => {
  test('Given a 30 MiB message over the 25 MiB limit, when the poller meets it, then it is flagged, counted and passed over without download, and the next mail still arrives', async () => {
    const def = await newMailbox({ port: tcp.port }, server);
    const bigUid = await append({ ...def, port: server.imap.port }, largeInvitation('<huge-1@example.net>', 30 * MIB));
    const nextUid = await append({ ...def, port: server.imap.port }, invitation('<after-huge@example.net>'));

    const poller = await startPoller(def, { maxMessageBytes: 25 * MIB });
    await until('both messages dealt with', () => poller.status().processed === 1 && poller.status().tooLarge === 1);

    expect(poller.status()).toMatchObject({ connected: true, tooLarge: 1, lastTooLarge: { uid: bigUid }, lastError: { code: 'IMAP_MESSAGE_TOO_LARGE' } });
    expect(harness.published.map((p) => p.event.messageId)).toEqual(['<after-huge@example.net>']);
    expect(await harness.checkpoints.read(def.id)).toMatchObject({ lastUid: nextUid });
    expect(tcp.downstreamBytes()).toBeLessThan(MIB);
    const [bigFlags, nextFlags] = await flagsOf({ ...def, port: server.imap.port });
    expect(bigFlags).toContain(TOO_LARGE_FLAG);
    expect(bigFlags).not.toContain(DEFAULT_PROCESSED_FLAG);
    expect(nextFlags).toContain(DEFAULT_PROCESSED_FLAG);
  }, 120_000);
});
