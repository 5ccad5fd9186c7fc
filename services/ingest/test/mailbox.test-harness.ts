// Shared set-up of the mailbox poller tests: the run's GreenMail (real IMAP), the test MongoDB
// stand-in and a real JetStream object store; each publish is recorded (msgID + payload), as in
// the SMTP test. Call pollerHarness() at the top of a test file: it registers the hooks.
import { Objm } from '@nats-io/obj';
import { connectMongo, type MongoConnection } from '@inviteflow/mongo';
import { connectNats, type NatsHandle, openRawMailStreamWriter } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { testMongoUrl, testNatsAuth, testNatsUrl, uniqueSuffix } from '@inviteflow/testing';
import { MailboxCheckpointRepository } from '../src/data/mailbox-checkpoint.repository';
import { MailboxLeaseRepository } from '../src/data/mailbox-lease.repository';
import { MailboxRepository } from '../src/data/mailbox.repository';
import { ProcessedMailRepository } from '../src/data/processed-mail.repository';
import { type MailDedupe, storeAndAnnounce } from '../src/handlers/mail-accepted.handler';
import { MailboxPoller } from '../src/imap/mailbox.poller';
import type { MailboxDefinition, MailboxStatus } from '../src/imap/mailbox.types';
import { greenMailMailbox, withClient } from './imap.test-client';

export const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
// Bounds on waiting for the server, not timings under test.
const WAIT_MS = 30_000;

export interface PollerOptions {
  pollIntervalMs?: number;
  maxMessageBytes?: number;
  idle?: boolean;
  /** Work the mailbox under a lease as this owner (two pollers with different owners = two replicas). */
  leaseOwner?: string;
  leaseTtlMs?: number;
  /** Use the processed-mail record (Message-ID + body hash), as ingest does with a database. */
  dedupe?: boolean;
  /** RAW_INLINE_MAX_BYTES; unset: 0, every mail by reference into the test's bucket. */
  inlineMaxBytes?: number;
  /** DrainDeps.beforeMarking: runs between a round's checkpoint and its flag / move. */
  beforeMarking?: (uids: number[]) => Promise<void>;
}

export interface Published {
  msgId: string;
  event: eventsV1.MailReceived;
}

export interface PollerHarness {
  readonly published: Published[];
  readonly checkpoints: MailboxCheckpointRepository;
  readonly mongo: MongoConnection;
  newMailbox(overrides?: Partial<MailboxDefinition>, server?: Parameters<typeof greenMailMailbox>[1]): Promise<MailboxDefinition>;
  startPoller(def: MailboxDefinition, options?: PollerOptions): Promise<MailboxPoller>;
}

export function pollerHarness(name: string): PollerHarness {
  let nats: NatsHandle;
  let bucket = '';
  const pollers: MailboxPoller[] = [];
  const h = { published: [] as Published[] } as { published: Published[]; checkpoints: MailboxCheckpointRepository; mongo: MongoConnection };

  beforeAll(async () => {
    nats = await connectNats({ servers: testNatsUrl(), name, auth: testNatsAuth() });
    h.mongo = await connectMongo({ url: testMongoUrl(), dbName: `ingest_${name.replace(/\W/g, '_')}_${uniqueSuffix()}`, appName: name });
    h.checkpoints = new MailboxCheckpointRepository(h.mongo.db);
  });
  afterAll(async () => {
    await h.mongo.db.dropDatabase().catch(() => undefined);
    await h.mongo.close();
    await nats.drain();
  });
  beforeEach(() => {
    bucket = `ingest-imap-test-${uniqueSuffix()}`;
    h.published.length = 0;
  });
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop()));
    await new Objm(nats.nc).open(bucket).then((store) => store.destroy()).catch(() => undefined);
  });

  async function dedupeFor(): Promise<MailDedupe> {
    const records = new ProcessedMailRepository(h.mongo.db);
    const store = await new Objm(nats.nc).open(bucket);
    return {
      announcedAs: (fingerprint) => records.announcedAs(fingerprint),
      record: (fingerprint, entry) => records.record(fingerprint, entry, new Date()),
      copyFound: async (objectName) => void (objectName !== undefined && (await store.delete(objectName))),
    };
  }

  return {
    get published() { return h.published; },
    get checkpoints() { return h.checkpoints; },
    get mongo() { return h.mongo; },
    newMailbox: async (overrides = {}, server) => {
      const def = await greenMailMailbox(overrides, server);
      await new MailboxRepository(h.mongo.db).save(def, new Date());
      return def;
    },
    startPoller: async (def, options = {}) => {
      const rawMail = await openRawMailStreamWriter(nats.nc, { bucket });
      const dedupe = options.dedupe ? await dedupeFor() : undefined;
      const poller = new MailboxPoller({
        def, checkpoints: h.checkpoints, log: quietLog, pollIntervalMs: options.pollIntervalMs ?? 600_000, retryMinMs: 50, retryMaxMs: 200,
        maxMessageBytes: options.maxMessageBytes ?? 25 * 1024 * 1024, idle: options.idle ?? true,
        ...(options.beforeMarking ? { beforeMarking: options.beforeMarking } : {}),
        ...(options.leaseOwner ? { lease: { repo: new MailboxLeaseRepository(h.mongo.db), owner: options.leaseOwner, ttlMs: options.leaseTtlMs ?? 3000 } } : {}),
        accept: (mail) => storeAndAnnounce(mail, {
          rawMail, ...(dedupe ? { dedupe } : {}), inlineMaxBytes: options.inlineMaxBytes ?? 0,
          publish: async (_subject, payload, msgId) => h.published.push({ msgId, event: eventsV1.MailReceived.decode(payload) }),
        }, `imap:${def.id}`),
      });
      pollers.push(poller);
      poller.start();
      return poller;
    },
  };
}

export async function until(what: string, probe: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const scannedEmpty = (p: MailboxPoller): boolean => {
  const s: MailboxStatus = p.status();
  return s.connected && s.lastScanAt !== undefined && s.backlog === 0;
};

/** The flags of every message in the mailbox's folder, in sequence order. */
export async function flagsOf(def: MailboxDefinition): Promise<string[][]> {
  return withClient(def, async (client) => {
    const lock = await client.getMailboxLock(def.folder);
    try {
      const out: string[][] = [];
      for await (const msg of client.fetch('1:*', { flags: true })) out.push([...(msg.flags ?? [])]);
      return out;
    } finally {
      lock.release();
    }
  });
}

const errorTimes = new WeakMap<MailboxPoller, Set<number>>();
/** Distinct failures seen so far (each sets a new lastError time): proves the retry. */
export function errorsSeen(poller: MailboxPoller): number {
  const seen = errorTimes.get(poller) ?? new Set<number>();
  errorTimes.set(poller, seen);
  const at = poller.status().lastError?.at;
  if (at) seen.add(at.getTime());
  return seen.size;
}
