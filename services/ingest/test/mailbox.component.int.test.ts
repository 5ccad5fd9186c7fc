// Ingest started through its real start() with MONGO_URL set: mailboxes defined in its
// database are read from the run's GreenMail and announced on the real MAIL stream, beside SMTP.
import { STREAMS, SUBJECTS } from '@inviteflow/contracts';
import { connectMongo, type MongoConnection } from '@inviteflow/mongo';
import { connectNats, type NatsHandle } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { type InProcessRunning, startInProcess, testMongoUrl, testNatsAuth, uniqueSuffix } from '@inviteflow/testing';
import { ingestConfig } from '../src/config';
import { MailboxCheckpointRepository } from '../src/data/mailbox-checkpoint.repository';
import { MailboxRepository } from '../src/data/mailbox.repository';
import type { MailboxDefinition } from '../src/imap/mailbox.types';
import { start } from '../src/start';
import { append, greenMailMailbox, invitation } from './imap.test-client';
import { until } from './mailbox.test-harness';
import { SmtpTestClient } from './smtp.test-client';

const WAIT_MS = 30_000;
const dbName = `ingest_component_${uniqueSuffix()}`;
let mongo: MongoConnection;
let ingest: InProcessRunning;
let nats: NatsHandle;
let checkpoints: MailboxCheckpointRepository;
let plain: MailboxDefinition;
let copies: MailboxDefinition;

beforeAll(async () => {
  mongo = await connectMongo({ url: testMongoUrl(), dbName, appName: 'ingest-component-test' });
  checkpoints = new MailboxCheckpointRepository(mongo.db);
  // Mailboxes are read at start: both are defined first.
  [plain, copies] = [await greenMailMailbox(), await greenMailMailbox()];
  for (const def of [plain, copies]) await new MailboxRepository(mongo.db).save(def, new Date());
  ingest = await startInProcess({ service: 'ingest', schema: ingestConfig, start }, {
    MONGO_DB: dbName, ACCEPT_DOMAINS: 'example.org', IMAP_RETRY_MIN_MS: '50',
  });
  nats = await connectNats({ servers: ingest.natsUrl, name: 'ingest-component-test', auth: testNatsAuth() });
}, 60_000);

afterAll(async () => {
  await nats?.drain();
  await ingest?.stop();
  await mongo.db.dropDatabase().catch(() => undefined);
  await mongo.close();
});

async function checkpointReaches(def: MailboxDefinition, uid: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while ((await checkpoints.read(def.id))?.lastUid !== uid) {
    if (Date.now() > deadline) throw new Error('the checkpoint never reached the appended message');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every mail.received.v1 on the MAIL stream so far. */
async function announced(): Promise<eventsV1.MailReceived[]> {
  const info = await nats.jsm.streams.info(STREAMS.mail.name);
  const out: eventsV1.MailReceived[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq += 1) {
    const msg = await nats.jsm.streams.getMessage(STREAMS.mail.name, { seq }).catch(() => null);
    if (msg?.subject === SUBJECTS.mailReceivedV1) out.push(eventsV1.MailReceived.decode(msg.data));
  }
  return out;
}

test('Given a mailbox in ingest\'s database, when a mail is in it, then mail.received.v1 is published once with the imap source', async () => {
  const uid = await append(plain, invitation('<component-1@example.net>'));

  await checkpointReaches(plain, uid);

  const events = (await announced()).filter((e) => e.messageId === '<component-1@example.net>');
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ source: `imap:${plain.id}` });
  expect(await checkpoints.statusOf(plain.id)).toMatchObject({ connected: true });
});

test('Given a mail taken by SMTP, when its mailbox copy (with the trace headers a delivery adds) is read, then it is recognised as the same mail and announced once', async () => {
  const raw = invitation('<component-2@example.net>');
  const smtp = await SmtpTestClient.connect(ingest.ports['smtp']!);
  await smtp.startData('organiser@example.net', copies.auth.user);
  expect(await smtp.finishData([Buffer.from(raw)])).toMatch(/^250 /);
  await smtp.quit();

  const uid = await append(copies, `Received: from mx.example.net by imap.example.org\r\nDelivered-To: ${copies.auth.user}\r\n${raw}`);
  await checkpointReaches(copies, uid);

  const events = (await announced()).filter((e) => e.messageId === '<component-2@example.net>');
  expect(events.map((e) => e.source)).toEqual(['smtp']);
  // The status document is written after the checkpoint moves (a status write never holds up intake).
  await until('the mailbox status counts the copy', async () => (await checkpoints.statusOf(copies.id))?.processed === 1);
  expect(await checkpoints.statusOf(copies.id)).toMatchObject({ processed: 1, connected: true });
});
