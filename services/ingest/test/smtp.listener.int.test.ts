// The real SMTP listener, in-process, storing into a real JetStream object store (the test
// NATS, one bucket per test). Covers issue 8's points 3 and 4 at the listener: streaming with
// a size limit, the transaction and data-rate bounds, and the reverse-DNS setting.
import { createHash } from 'node:crypto';
import { Objm } from '@nats-io/obj';
import { connectNats, type NatsHandle, openRawMailStore, openRawMailStreamWriter } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { testNatsUrl, uniqueSuffix, testNatsAuth } from '@inviteflow/testing';
import { storeAndAnnounce } from '../src/handlers/mail-accepted.handler';
import { type RunningSmtpListener, type SmtpListenerOptions, startSmtpListener } from '../src/smtp/smtp.listener';
import { generatedMessage, SmtpTestClient } from './smtp.test-client';

const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

let nats: NatsHandle;
let bucket: string;
let listener: RunningSmtpListener | undefined;
let published: Array<{ subject: string; msgId: string; payload: Uint8Array }>;
const clients: SmtpTestClient[] = [];

beforeAll(async () => {
  nats = await connectNats({ servers: testNatsUrl(), name: 'ingest-listener-int-test', auth: testNatsAuth() });
});

afterAll(async () => {
  await nats.drain();
});

beforeEach(() => {
  bucket = `ingest-test-${uniqueSuffix()}`;
  published = [];
});

afterEach(async () => {
  clients.splice(0).forEach((client) => client.destroy());
  await listener?.close(1000);
  listener = undefined;
  await (await new Objm(nats.nc).open(bucket)).destroy().catch(() => undefined);
});

/** Ingest's default RAW_INLINE_MAX_BYTES: mails up to it travel in the event, larger ones by reference. */
const INLINE_MAX = 256 * 1024;

async function startListener(
  overrides: Partial<SmtpListenerOptions> = {},
  announce: { inlineMaxBytes?: number; publishFails?: boolean } = {},
): Promise<number> {
  const rawMail = await openRawMailStreamWriter(nats.nc, { bucket });
  listener = await startSmtpListener({
    host: '127.0.0.1', port: 0, hostname: 'ingest.test', domains: ['example.org'], maxMessageBytes: 1024 * 1024,
    reverseDns: 'auto', transactionTimeoutMs: 60_000, minDataRateBps: 0, dataRateGraceMs: 0, log: quietLog,
    accept: async (mail) => {
      await storeAndAnnounce(mail, {
        rawMail, inlineMaxBytes: announce.inlineMaxBytes ?? INLINE_MAX,
        publish: async (subject, payload, msgId) => {
          if (announce.publishFails) throw new Error('no JetStream ack');
          published.push({ subject, payload, msgId });
        },
      });
    },
    ...overrides,
  });
  return listener.port;
}

async function connect(port: number): Promise<SmtpTestClient> {
  const client = await SmtpTestClient.connect(port);
  clients.push(client);
  return client;
}

/** Messages (chunks and metadata) in the bucket's stream: 0 means no object and no partial chunks. */
async function storedMessages(): Promise<number> {
  return (await nats.jsm.streams.info(`OBJ_${bucket}`)).state.messages;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls (at most 50 times, 100 ms apart) until `done`, for clean-up that follows a reply. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 50 && !done(value); i++) {
    await delay(100);
    value = await read();
  }
  return value;
}

describe('ingest SMTP listener', () => {
  test('When a normal message is sent, then it gets 250 only after its bytes are stored and announced, and the stored sha256 matches', async () => {
    // Arrange
    const client = await connect(await startListener());
    const raw = Buffer.concat([...generatedMessage(300 * 1024, '<normal@test.example>')]);

    // Act
    await client.startData('sender@test.example', 'homer@example.org');
    const reply = await client.finishData([raw]);

    // Assert
    expect(reply).toMatch(/^250 2\.0\.0 queued as [0-9a-f-]{36}$/);
    const mailId = reply.split(' ').at(-1)!;
    const sha256 = createHash('sha256').update(raw).digest('hex');
    expect(published).toEqual([expect.objectContaining({ subject: 'mail.received.v1', msgId: `mail:${mailId}` })]);
    expect(eventsV1.MailReceived.decode(published[0]!.payload)).toMatchObject({
      mailId, objectName: mailId, sha256, size: raw.length, messageId: '<normal@test.example>', envelopeTo: ['homer@example.org'],
    });
    const stored = await (await openRawMailStore(nats.nc, { bucket })).get(mailId, sha256);
    expect(Buffer.from(stored).equals(raw)).toBe(true);
  });

  test('When a small message is sent, then its bytes travel inline in mail.received.v1 (no object stored) and it gets 250 after the publish', async () => {
    // Arrange
    const client = await connect(await startListener());
    const raw = Buffer.concat([...generatedMessage(4 * 1024, '<small@test.example>')]);

    // Act
    await client.startData('sender@test.example', 'homer@example.org');
    const reply = await client.finishData([raw]);

    // Assert
    expect(reply).toMatch(/^250 2\.0\.0 queued as [0-9a-f-]{36}$/);
    const mailId = reply.split(' ').at(-1)!;
    const event = eventsV1.MailReceived.decode(published[0]!.payload);
    expect(event).toMatchObject({
      mailId, objectStore: '', objectName: '', sha256: createHash('sha256').update(raw).digest('hex'), size: raw.length, messageId: '<small@test.example>',
    });
    expect(event.rawInline.equals(raw)).toBe(true);
    expect(await storedMessages()).toBe(0);
  });

  test.each([
    { size: 64 * 1024, inline: true },
    { size: 64 * 1024 + 1, inline: false },
  ])('Given RAW_INLINE_MAX_BYTES of 64 KiB, when a message of $size bytes is sent, then inline is $inline and the bytes are the same either way', async ({ size, inline }) => {
    // Arrange
    const client = await connect(await startListener({}, { inlineMaxBytes: 64 * 1024 }));
    const raw = Buffer.concat([...generatedMessage(size, '<boundary@test.example>')]);
    expect(raw.length).toBe(size);

    // Act
    await client.startData('sender@test.example', 'homer@example.org');
    const reply = await client.finishData([raw]);

    // Assert
    expect(reply).toMatch(/^250 /);
    const event = eventsV1.MailReceived.decode(published[0]!.payload);
    expect(event.size).toBe(size);
    expect(event.objectName === '').toBe(inline);
    const bytes = inline ? event.rawInline : await (await openRawMailStore(nats.nc, { bucket })).get(event.objectName, event.sha256);
    expect(Buffer.from(bytes).equals(raw)).toBe(true);
    expect(await storedMessages() > 0).toBe(!inline);
  });

  test('Given RAW_INLINE_MAX_BYTES of 0, when a small message is sent, then it is stored by reference as before inline mail', async () => {
    const client = await connect(await startListener({}, { inlineMaxBytes: 0 }));
    await client.startData('sender@test.example', 'homer@example.org');
    expect(await client.finishData([...generatedMessage(2 * 1024, '<old@test.example>')])).toMatch(/^250 /);
    const event = eventsV1.MailReceived.decode(published[0]!.payload);
    expect(event).toMatchObject({ objectName: event.mailId, objectStore: 'raw-mail' });
    expect(event.rawInline.length).toBe(0);
  });

  test('When the publish of a small message is not acknowledged, then the client gets 451 (never 250) and nothing is stored', async () => {
    const client = await connect(await startListener({}, { publishFails: true }));
    await client.startData('sender@test.example', 'homer@example.org');

    const reply = await client.finishData([...generatedMessage(4 * 1024, '<unacked@test.example>')]);

    expect(reply).toMatch(/^451 4\.3\.0 /);
    expect(await storedMessages()).toBe(0);
  });

  test('When a message passes MAX_MESSAGE_BYTES, then the rest is read, 552 comes after the end of DATA, and no object or chunk is left', async () => {
    // Arrange: 8 MiB against a 1 MiB limit, several object-store chunks past it.
    const client = await connect(await startListener());
    await client.startData('sender@test.example', 'homer@example.org');

    // Act
    const reply = await client.finishData(generatedMessage(8 * 1024 * 1024));

    // Assert
    expect(reply).toMatch(/^552 5\.3\.4 /);
    expect(client.isClosed).toBe(false);
    expect(await client.command('NOOP')).toMatch(/^250/);
    expect(published).toEqual([]);
    expect(await storedMessages()).toBe(0);
  });

  test('When a client trickles DATA below the minimum rate, then it gets 421 4.4.2, is closed, and nothing is stored', async () => {
    // Arrange: 100 bytes/s after a 1 s grace; the client sends 1 byte every 100 ms (10 bytes/s).
    const client = await connect(await startListener({ minDataRateBps: 100, dataRateGraceMs: 1000 }));
    await client.startData('sender@test.example', 'homer@example.org');
    client.write('Message-ID: <slow@test.example>\r\n\r\n');

    // Act: at most 100 bytes (10 s or more); by then the deadline (1 s + 1 s for 100 bytes) is long past.
    for (let i = 0; i < 100 && !client.isClosed; i++) {
      client.write('x');
      await delay(100);
    }
    await Promise.race([client.closed, delay(5000)]);

    // Assert
    expect(client.replies.at(-1)).toMatch(/^421 4\.4\.2 message data arrived slower than 100 bytes\/s/);
    expect(client.isClosed).toBe(true);
    expect(published).toEqual([]);
    expect(await eventually(storedMessages, (n) => n === 0)).toBe(0);
  });

  test('When a client dawdles past the transaction timeout, then it gets 421 4.4.2 and is closed', async () => {
    // Arrange
    const client = await connect(await startListener({ transactionTimeoutMs: 1500 }));
    await client.command('EHLO client.test');
    await client.command('MAIL FROM:<sender@test.example>');

    // Act: a NOOP every 200 ms keeps the idle timeout at bay; at most 40 (8 s or more).
    for (let i = 0; i < 40 && !client.isClosed; i++) {
      await client.command('NOOP');
      await delay(200);
    }
    await Promise.race([client.closed, delay(5000)]);

    // Assert
    expect(client.replies.at(-1)).toMatch(/^421 4\.4\.2 transaction took longer than 1500 ms/);
    expect(client.isClosed).toBe(true);
  });

  test('When SMTP_REVERSE_DNS is on, then the client address is looked up; when auto on loopback, then it is not', async () => {
    // Arrange
    const lookups: string[] = [];
    const resolver = { reverse: (ip: string, done: (err: Error | null, names: string[]) => void) => {
      lookups.push(ip);
      done(null, ['mx.sender.example']);
    } };

    // Act
    const on = await connect(await startListener({ reverseDns: 'on', resolver }));
    const ehloOn = await on.command('EHLO client.test');
    await on.quit();
    await listener!.close(1000);
    const auto = await connect(await startListener({ reverseDns: 'auto', resolver }));
    const ehloAuto = await auto.command('EHLO client.test');

    // Assert
    expect(lookups).toEqual(['127.0.0.1']);
    expect(ehloOn).toContain('mx.sender.example');
    expect(ehloAuto).not.toContain('mx.sender.example');
  });
});
