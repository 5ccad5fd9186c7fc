// Exactly once with real ingest processes (the bundle, started with node) reading one mailbox,
// against a NATS server of their own and the run's MongoDB: kill -9 in the middle of taking a
// mail, and two replicas of which the lease holder is killed. GreenMail is one of this test's
// own with a larger heap: it holds a 16 MiB message in memory (the run's shared one has 128 MiB).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RAW_MAIL_BUCKET, STREAMS, SUBJECTS } from '@inviteflow/contracts';
import { infraPaths, type LocalMailServer, type ProvisionedInfra, startLocalMailServer } from '@inviteflow/infra';
import { connectNats, type NatsHandle } from '@inviteflow/messaging';
import { connectMongo, type MongoConnection } from '@inviteflow/mongo';
import { eventsV1 } from '@inviteflow/proto-gen';
import { startPrivateNats, testMongoUrl, testNatsAuth, uniqueSuffix } from '@inviteflow/testing';
import { MailboxCheckpointRepository } from '../src/data/mailbox-checkpoint.repository';
import { MailboxLeaseRepository } from '../src/data/mailbox-lease.repository';
import { MailboxRepository } from '../src/data/mailbox.repository';
import type { MailboxDefinition } from '../src/imap/mailbox.types';
import { append, greenMailMailbox, invitation, largeInvitation } from './imap.test-client';
import { bundleIngest, type IngestProcess, startIngestProcess } from './ingest.process';

const MIB = 1024 * 1024;
const WAIT_MS = 60_000;
const outDir = mkdtempSync(join(tmpdir(), 'ingest-mailbox-process-'));
const bundle = join(outDir, 'main.js');
const dbName = `ingest_mailbox_process_${uniqueSuffix()}`;
let infra: ProvisionedInfra;
let mail: LocalMailServer;
let nats: NatsHandle;
let mongo: MongoConnection;
const running: IngestProcess[] = [];

beforeAll(async () => {
  bundleIngest(bundle);
  mail = await startLocalMailServer(infraPaths(), { name: 'greenmail-ingest-process', heapMb: 512 });
  infra = await startPrivateNats('ingest-mailbox-process');
  nats = await connectNats({ servers: infra.natsUrl, name: 'ingest-mailbox-process-test', auth: testNatsAuth() });
  mongo = await connectMongo({ url: testMongoUrl(), dbName, appName: 'ingest-mailbox-process-test' });
}, 90_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.kill9()));
  await mongo.db.collection('mailboxes').deleteMany({});
});

afterAll(async () => {
  await nats?.drain();
  await mongo?.db.dropDatabase().catch(() => undefined);
  await mongo?.close();
  await infra?.stop();
  await mail?.proc.stop();
  rmSync(outDir, { recursive: true, force: true });
}, 30_000);

async function startIngest(): Promise<IngestProcess> {
  const proc = await startIngestProcess(bundle, {
    NATS_URL: infra.natsUrl, MONGO_URL: testMongoUrl(), MONGO_DB: dbName,
    IMAP_RETRY_MIN_MS: '100', IMAP_RETRY_MAX_MS: '1000', IMAP_LEASE_TTL_MS: '1500',
  });
  running.push(proc);
  return proc;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** mail.received.v1 events on the MAIL stream of this test's NATS, for one mailbox. */
async function announcedFrom(def: MailboxDefinition): Promise<eventsV1.MailReceived[]> {
  const info = await nats.jsm.streams.info(STREAMS.mail.name).catch(() => undefined);
  const out: eventsV1.MailReceived[] = [];
  for (let seq = info?.state.first_seq ?? 1; info && info.state.messages > 0 && seq <= info.state.last_seq; seq += 1) {
    const msg = await nats.jsm.streams.getMessage(STREAMS.mail.name, { seq }).catch(() => null);
    const event = msg?.subject === SUBJECTS.mailReceivedV1 ? eventsV1.MailReceived.decode(msg.data) : undefined;
    if (event?.source === `imap:${def.id}`) out.push(event);
  }
  return out;
}

async function newMailbox(): Promise<MailboxDefinition> {
  const def = await greenMailMailbox({}, mail);
  await new MailboxRepository(mongo.db).save(def, new Date());
  return def;
}

const checkpointAt = async (def: MailboxDefinition, uid: number): Promise<boolean> =>
  (await new MailboxCheckpointRepository(mongo.db).read(def.id))?.lastUid === uid;

describe('mailbox intake in ingest processes', () => {
  test('Given ingest killed -9 while a fetched mail is being stored, when ingest starts again, then the mail is announced once', async () => {
    const def = await newMailbox();
    const uid = await append(def, largeInvitation('<killed-1@example.net>', 16 * MIB));
    const first = await startIngest();

    // Fetched and part stored (object-store chunks written), not yet announced: kill -9 there.
    const announcedAtKill = await until('the first chunks stored', async () => {
      const chunks = (await nats.jsm.streams.info(`OBJ_${RAW_MAIL_BUCKET}`).catch(() => undefined))?.state.messages ?? 0;
      if (chunks === 0) return undefined;
      await first.kill9();
      return { announced: (await announcedFrom(def)).length };
    });
    expect(announcedAtKill.announced).toBe(0);
    expect(await checkpointAt(def, uid)).toBe(false);

    await startIngest();
    await until('the checkpoint passed the mail', () => checkpointAt(def, uid));

    const events = await announcedFrom(def);
    expect(events.map((e) => e.messageId)).toEqual(['<killed-1@example.net>']);
    expect(events[0]!.size).toBeGreaterThan(16 * MIB);
  }, 180_000);

  test('Given two ingest replicas and one mailbox, when mails arrive and the lease holder is killed -9, then each mail is announced once and the other replica takes over', async () => {
    const def = await newMailbox();
    const replicas = [await startIngest(), await startIngest()];
    const uids: number[] = [];
    for (let i = 1; i <= 5; i += 1) uids.push(await append(def, invitation(`<replicas-${i}@example.net>`)));
    await until('the checkpoint passed five mails', () => checkpointAt(def, uids.at(-1)!));

    const lease = await new MailboxLeaseRepository(mongo.db).holder(def.id);
    const holderPid = Number(lease?.owner.split(':')[1]);
    const holder = replicas.find((r) => r.proc.pid === holderPid);
    expect(holder).toBeDefined();
    await holder!.kill9();
    const sixth = await append(def, invitation('<replicas-6@example.net>'));
    await until('the other replica took the sixth mail', () => checkpointAt(def, sixth));

    const ids = (await announcedFrom(def)).map((e) => e.messageId).sort();
    expect(ids).toEqual([1, 2, 3, 4, 5, 6].map((i) => `<replicas-${i}@example.net>`));
    expect((await new MailboxLeaseRepository(mongo.db).holder(def.id))?.owner).not.toBe(lease?.owner);
  }, 180_000);
});
