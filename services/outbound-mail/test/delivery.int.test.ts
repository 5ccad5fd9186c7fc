// Delivery against a real SMTP server on loopback, real NATS and the real MongoDB stand-in
// (issue 11 §5): 250, 4xx then 250, 5xx, retries exhausted, the same command twice, a crash
// after the relay's 250, two processes polling the same due deliveries. Renderer: a fake
// (delivery's contract is render.types.ts). Never timed: retries use millisecond delays from
// config and every wait is bounded by attempts.
import type { MongoClient, Db } from 'mongodb';
import { STREAMS, SUBJECTS } from '@inviteflow/contracts';
import { publish, type NatsHandle } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { uniqueSuffix } from '@inviteflow/testing';
import type { OutboundConfig } from '../src/config';
import { DeliveryRepository, deliveryId, type DeliveryDoc } from '../src/data/delivery.repository';
import { deferPolicy } from '../src/delivery/delivery.config';
import { DeliveryService } from '../src/delivery/delivery.service';
import { startDeliveryScheduler } from '../src/delivery/delivery.scheduler';
import type { DeliveryWiring } from '../src/delivery/delivery.wiring';
import { smtpTransport } from '../src/delivery/smtp.transport';
import { fakeRender, TEST_RENDER_OPTIONS } from './fake-render';
import { silentLog, startDeliveryHarness, type DeliveryHarness } from './delivery.harness';
import type { LoopbackRelay } from '@inviteflow/testing';

const silent = silentLog;
const now = (): Date => new Date();

function command(requestId: string, recipient: string, method = 'REQUEST'): Uint8Array {
  return eventsV1.OutboundRequested.encode(eventsV1.OutboundRequested.fromPartial({
    requestId, method, uid: `uid-${requestId}`, sequence: 2, recipients: [recipient], summary: 'Budget review',
    calendar: `BEGIN:VCALENDAR\r\nMETHOD:${method}\r\nEND:VCALENDAR`, organizer: { address: 'marge@example.org' },
  })).finish();
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, attempts = 300): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('delivery to an SMTP relay on loopback', () => {
  let nats: NatsHandle;
  let client: MongoClient;
  let db: Db;
  let relay: LoopbackRelay;
  let config: OutboundConfig;
  let wiring: DeliveryWiring;
  let handle: (data: Uint8Array) => Promise<void>;
  let deliveries: DeliveryRepository;
  const events: { subject: string; requestId: string; detail: string }[] = [];

  let harness: DeliveryHarness;

  beforeAll(async () => {
    harness = await startDeliveryHarness('outbound-delivery', {
      env: { SMTP_POOL_SIZE: '2', DELIVERY_DEFER_TABLE: '10ms,10ms,10ms', DELIVERY_POLL_MS: '20', DELIVERY_CLAIM_MS: '10000' },
      render: fakeRender(), renderOptions: TEST_RENDER_OPTIONS,
    });
    ({ nats, client, db, relay, config, wiring, handle } = harness);
    deliveries = new DeliveryRepository(db);
    // What the stream stored (a repeated publish with the same msgID is dropped there).
    const consumer = await nats.js.consumers.get(STREAMS.mail.name, { filter_subjects: [SUBJECTS.mailSentV1, SUBJECTS.mailFailedV1] });
    void (async () => {
      for await (const m of await consumer.consume()) {
        if (m.subject === SUBJECTS.mailSentV1) {
          const e = eventsV1.MailSent.decode(m.data);
          events.push({ subject: m.subject, requestId: e.requestId, detail: `${e.recipient} ${e.messageId} ${e.relayResponse} attempts=${e.attempts}` });
        } else {
          const e = eventsV1.MailFailed.decode(m.data);
          events.push({ subject: m.subject, requestId: e.requestId, detail: `${e.recipient} ${e.code} ${e.smtpCode} ${e.reason} attempts=${e.attempts}` });
        }
      }
    })();
    await nats.nc.flush();
  }, 60_000);

  // Stopping drains the service and its infrastructure: over 30 s once on a busy machine.
  afterAll(async () => {
    await harness?.stop();
  }, 90_000);

  const finished = (id: string) => async (): Promise<DeliveryDoc | undefined> => {
    const d = await deliveries.get(id);
    return d && (d.state === 'sent' || d.state === 'failed') && d.eventPublished ? d : undefined;
  };
  const eventsOf = (requestId: string) => events.filter((e) => e.requestId === requestId);
  const mailsTo = (recipient: string) => relay.received.filter((m) => m.to.includes(recipient));
  /** Lets any stray second publish or send arrive before counting (bounded by a marker delivery). */
  async function settle(): Promise<void> {
    const marker = `marker-${uniqueSuffix()}`;
    await handle(command(marker, `${marker}@partner.test`));
    await until('the marker event', () => (eventsOf(marker).length > 0 ? true : undefined));
  }

  test('When a command is delivered to a relay that answers 250, then one mail arrives with the derived Message-ID, the delivery is sent with the relay\'s answer, and mail.sent.v1 is published once', async () => {
    // Arrange
    const key = `ok-${uniqueSuffix()}`;
    const to = `${key}@partner.test`;
    // Act
    await handle(command(key, to));
    const d = await until('sent', finished(deliveryId(key, to)));
    await settle();
    // Assert
    expect(d).toMatchObject({ state: 'sent', attempts: 1, messageId: `<${key}.${key}=partner.test@inviteflow.test>` });
    expect(d.relayResponse).toMatch(/^250 .*queued as T\d+/);
    expect(mailsTo(to)).toHaveLength(1);
    expect(mailsTo(to)[0]!.raw.toString()).toContain(`Message-ID: ${d.messageId}`);
    expect(mailsTo(to)[0]!.from).toBe('calendar@inviteflow.test');
    expect(eventsOf(key)).toEqual([{ subject: SUBJECTS.mailSentV1, requestId: key, detail: `${to} ${d.messageId} ${d.relayResponse} attempts=1` }]);
  });

  test('When the same command is delivered twice, one after the other and at once, then one mail is sent and one event published', async () => {
    // Arrange
    const key = `twice-${uniqueSuffix()}`;
    const to = `${key}@partner.test`;
    // Act
    await Promise.all([handle(command(key, to)), handle(command(key, to))]);
    await handle(command(key, to));
    await until('sent', finished(deliveryId(key, to)));
    await settle();
    // Assert
    expect(mailsTo(to)).toHaveLength(1);
    expect(eventsOf(key)).toHaveLength(1);
    expect(await db.collection('deliveries').countDocuments({ requestId: key })).toBe(1);
  });

  test('When the relay answers 451 and then 250, then the delivery is deferred with the relay\'s answer, then sent; one mail, one event', async () => {
    // Arrange
    const key = `temp-${uniqueSuffix()}`;
    const to = `${key}@partner.test`;
    relay.script(to, { code: 451, message: '4.7.1 Greylisted, try again later', times: 1 });
    // Act
    await handle(command(key, to));
    const d = await until('sent', finished(deliveryId(key, to)));
    await settle();
    // Assert: the first attempt was refused and deferred with the relay's answer, which the record
    // keeps after the scheduler's retry succeeded (read from the finished record, not from a snapshot
    // that races the scheduler's claim of the retry).
    expect(d.lastError).toContain('451');
    expect(d.smtpCode).toBe(451);
    expect(d).toMatchObject({ state: 'sent', attempts: 2 });
    expect(relay.rcptTries.get(to)).toBe(2);
    expect(mailsTo(to)).toHaveLength(1);
    expect(eventsOf(key).map((e) => e.subject)).toEqual([SUBJECTS.mailSentV1]);
    expect(eventsOf(key)[0]!.detail).toContain('attempts=2');
  });

  test('When the relay answers 550, then the delivery fails with the relay\'s reason, is not retried, and mail.failed.v1 is published once', async () => {
    // Arrange
    const key = `perm-${uniqueSuffix()}`;
    const to = `${key}@partner.test`;
    relay.script(to, { code: 550, message: '5.1.1 No such user here', times: 1000 });
    // Act
    await handle(command(key, to));
    const d = await until('failed', finished(deliveryId(key, to)));
    await settle();
    // Assert
    expect(d).toMatchObject({ state: 'failed', attempts: 1, failureCode: 'SMTP_PERMANENT_FAILURE', smtpCode: 550 });
    expect(d.lastError).toContain('5.1.1 No such user here');
    expect(relay.rcptTries.get(to)).toBe(1);
    expect(mailsTo(to)).toHaveLength(0);
    expect(eventsOf(key)).toHaveLength(1);
    expect(eventsOf(key)[0]).toMatchObject({ subject: SUBJECTS.mailFailedV1 });
    expect(eventsOf(key)[0]!.detail).toContain('SMTP_PERMANENT_FAILURE 550');
  });

  test('When the relay keeps answering 4xx, then the delivery is tried once per defer-table entry plus once, then fails as DELIVERY_EXPIRED, announced once', async () => {
    // Arrange: the table has 3 delays, so 4 attempts
    const key = `expire-${uniqueSuffix()}`;
    const to = `${key}@partner.test`;
    relay.script(to, { code: 452, message: '4.3.1 Insufficient system storage', times: 1000 });
    // Act
    await handle(command(key, to));
    const d = await until('failed', finished(deliveryId(key, to)));
    await settle();
    // Assert
    expect(d).toMatchObject({ state: 'failed', attempts: 4, failureCode: 'DELIVERY_EXPIRED', smtpCode: 452 });
    expect(d.lastError).toContain('4.3.1 Insufficient system storage');
    expect(relay.rcptTries.get(to)).toBe(4);
    expect(eventsOf(key).map((e) => e.subject)).toEqual([SUBJECTS.mailFailedV1]);
  });

  test('When a command cannot be rendered, then its delivery fails as RENDER_FAILED without contacting the relay', async () => {
    // Arrange
    const key = `render-${uniqueSuffix()}`;
    const to = `${key}@partner.test`;
    // Act
    await handle(command(key, to, 'UNRENDERABLE'));
    const d = await until('failed', finished(deliveryId(key, to)));
    // Assert
    expect(d).toMatchObject({ state: 'failed', failureCode: 'RENDER_FAILED', attempts: 1 });
    expect(d.lastError).toContain('no template for UNRENDERABLE');
    expect(relay.rcptTries.get(to)).toBeUndefined();
  });

  test('When the process dies after the relay\'s 250 and before "sent" is recorded, then the delivery is resent after its claim lapses as the same mail (same Message-ID), recorded sent once, announced once', async () => {
    // Arrange: a repository whose write of "sent" fails once, as if the process died there
    const key = `crash-${uniqueSuffix()}`;
    const to = `${key}@partner.test`;
    let failOnce = true;
    const repo = new DeliveryRepository(db);
    const crashing = Object.assign(Object.create(repo) as DeliveryRepository, {
      transition: async (id: string, version: number, set: Partial<DeliveryDoc>) => {
        if (set.state === 'sent' && id.startsWith(key) && failOnce) {
          failOnce = false;
          throw new Error('process died');
        }
        return repo.transition(id, version, set);
      },
    });
    // Its clock runs 1.5 s ahead, so what it enqueues is not yet due for the running scheduler
    // (which would otherwise take it first); its claim lapses 0.3 s after that.
    const ahead = (): Date => new Date(Date.now() + 1500);
    const dying = new DeliveryService({
      repo: crashing, render: fakeRender(), renderOptions: TEST_RENDER_OPTIONS, transport: smtpTransport(config), now: ahead, log: silent, claimMs: 300,
      defer: deferPolicy(config),
      publish: async (subject, payload, msgId) => { await publish(nats.js, subject, payload, { msgId }); },
    });
    await dying.enqueue(eventsV1.OutboundRequested.decode(command(key, to)), command(key, to));
    // Act: the "dying" process sends and fails to record; the running scheduler takes over
    await expect(dying.attempt(deliveryId(key, to))).rejects.toThrow('process died');
    const orphan = await deliveries.get(deliveryId(key, to));
    const d = await until('sent', finished(deliveryId(key, to)));
    await settle();
    // Assert
    expect(orphan).toMatchObject({ state: 'sending', attempts: 1 });
    expect(d).toMatchObject({ state: 'sent', attempts: 2 });
    const mails = mailsTo(to);
    expect(mails).toHaveLength(2);
    const idOf = (raw: Buffer): string | undefined => /^Message-ID: (.+)$/m.exec(raw.toString())?.[1]?.trim();
    expect(idOf(mails[0]!.raw)).toBe(d.messageId);
    expect(idOf(mails[1]!.raw)).toBe(d.messageId);
    expect(mails[1]!.raw.equals(mails[0]!.raw)).toBe(true);
    expect(eventsOf(key)).toHaveLength(1);
  });

  test('When a process records a command\'s delivery and dies before attempting it, then the scheduler delivers it once', async () => {
    // Arrange: only enqueued, as a process that died right after recording would leave it
    const key = `orphan-${uniqueSuffix()}`;
    const to = `${key}@partner.test`;
    await wiring.service.enqueue(eventsV1.OutboundRequested.decode(command(key, to)), command(key, to));
    // Act
    const d = await until('sent', finished(deliveryId(key, to)));
    // Assert
    expect(d).toMatchObject({ state: 'sent', attempts: 1 });
    expect(mailsTo(to)).toHaveLength(1);
  });

  test('When two processes poll the same due deliveries at once, then each mail is sent once', async () => {
    // Arrange: 12 queued deliveries in a database of their own (the running scheduler does not poll it)
    const raceDb = client.db(`outbound_race_${uniqueSuffix()}`);
    const keys = Array.from({ length: 12 }, (_, i) => `race-${i}-${uniqueSuffix()}`);
    const makeService = (): DeliveryService => new DeliveryService({
      repo: new DeliveryRepository(raceDb), render: fakeRender(), renderOptions: TEST_RENDER_OPTIONS, transport: smtpTransport(config), now, log: silent, claimMs: 600_000,
      defer: deferPolicy(config),
      publish: async (subject, payload, msgId) => { await publish(nats.js, subject, payload, { msgId }); },
    });
    const [a, b] = [makeService(), makeService()];
    for (const k of keys) await a.enqueue(eventsV1.OutboundRequested.decode(command(k, `${k}@partner.test`)), command(k, `${k}@partner.test`));
    const pollerOf = (service: DeliveryService) => startDeliveryScheduler({ repo: new DeliveryRepository(raceDb), delivery: service, pollMs: 600_000, batchSize: 100, concurrency: 4, now, log: silent });
    const [pa, pb] = [pollerOf(a), pollerOf(b)];
    // Act
    await Promise.all([pa.pollOnce(), pb.pollOnce()]);
    await Promise.all([pa.stop(), pb.stop()]);
    // Assert
    const raceRepo = new DeliveryRepository(raceDb);
    for (const k of keys) {
      expect(mailsTo(`${k}@partner.test`)).toHaveLength(1);
      expect(await raceRepo.get(deliveryId(k, `${k}@partner.test`))).toMatchObject({ state: 'sent', attempts: 1 });
    }
    await raceDb.dropDatabase();
  });
});
