import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_HEADERS, deadLetterSubject, SUBJECTS } from '@inviteflow/contracts';
import { publish } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { testNatsConnectOptions } from '@inviteflow/testing';
import { connect } from '@nats-io/transport-node';
import { cli, cliEnv, cliJson } from './cli.runner';
import { eventually, listDiary, startTestCluster, TestCluster, upsertAssociate } from './cluster.harness';

interface DeadLetterJson { seq: number; originalSubject: string; code: string; reason: string; deliveries: number; stream: string; consumer: string; mailId: string | null }
interface ListJson { total: number; deadLetters: DeadLetterJson[] }
interface ReplayJson { replayed: number; failed: number; results: Array<{ seq: number; result: string; originalSubject: string; mailId: string | null; msgId?: string; stream?: string; error?: string }> }

/** A valid invitation for Homer, as the parser would have published it. */
function invitationFor(mailId: string, uid: string): Uint8Array {
  return eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
    mailId, method: 'REQUEST', uid,
    events: [{ sequence: 0, dtstamp: new Date('2026-01-01T00:00:00Z'), start: new Date('2026-06-01T09:00:00Z'), end: new Date('2026-06-01T09:30:00Z'), summary: 'Replayed', organizer: { address: 'boss@partner.example' }, attendees: [{ address: 'homer@example.org' }] }],
    mail: { envelopeFrom: 'boss@partner.example', envelopeTo: ['homer@example.org'], from: 'boss@partner.example' },
  })).finish();
}

describe('inviteflow dlq against a running cluster', () => {
  let t: TestCluster;
  let env: Record<string, string>;
  let nc: NatsConnection;
  let js: JetStreamClient;

  const list = async (...args: string[]): Promise<DeadLetterJson[]> => (await cliJson<ListJson>(['dlq', 'list', ...args], env)).body.deadLetters;

  beforeAll(async () => {
    t = await startTestCluster(['example.org']);
    env = cliEnv(t);
    await upsertAssociate(t.identity, { name: 'Homer Simpson', primaryAddress: 'homer@example.org' });
    nc = await connect({ servers: t.infra.natsUrl, ...testNatsConnectOptions() });
    js = jetstream(nc);
  }, 90_000);

  afterAll(async () => {
    await nc?.close();
    await t?.stop();
  }, 60_000);

  test('When the appointment service cannot decode an invite.parsed.v1 event, then dlq list shows the dead letter with its code, reason and deliveries', async () => {
    // Arrange / Act: bytes that are not an InviteParsed; the handler refuses them at once
    await publish(js, SUBJECTS.inviteParsedV1, Uint8Array.from([0xff, 0xff, 0xff]), { msgId: 'test:undecodable' });

    // Assert
    const letter = await eventually('the dead letter', 10_000, async () => (await list()).find((d) => d.code === 'EVENT_UNDECODABLE'));
    expect(letter).toMatchObject({ originalSubject: SUBJECTS.inviteParsedV1, deliveries: 1, stream: 'INVITE', consumer: 'appointment', mailId: null });
    expect(letter.reason).toMatch(/not a valid InviteParsed/);
    const human = await cli(['dlq', 'list'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^${letter.seq}\\s+\\S+\\s+invite\\.parsed\\.v1\\s+EVENT_UNDECODABLE\\s+1\\s+-\\s+`, 'm'));
  });

  test('When a dead-lettered invitation is replayed, then it is republished with a new msgId, applied to the diary, removed from the DLQ, and explain finds its outcome', async () => {
    // Arrange: a past failure, as the messaging layer writes it
    const mailId = randomUUID();
    await publish(js, deadLetterSubject(SUBJECTS.inviteParsedV1), invitationFor(mailId, 'dlq-replay-1'), {
      msgId: `dlq:INVITE:${mailId}`,
      headers: {
        [DEAD_LETTER_HEADERS.code]: 'IDENTITY_UNAVAILABLE', [DEAD_LETTER_HEADERS.reason]: 'identity did not answer within 2000 ms',
        [DEAD_LETTER_HEADERS.deliveries]: '6', [DEAD_LETTER_HEADERS.stream]: 'INVITE', [DEAD_LETTER_HEADERS.consumer]: 'appointment',
        [DEAD_LETTER_HEADERS.originalSubject]: SUBJECTS.inviteParsedV1,
      },
    });
    const letter = (await list('--subject', SUBJECTS.inviteParsedV1)).find((d) => d.mailId === mailId)!;
    expect(letter).toMatchObject({ code: 'IDENTITY_UNAVAILABLE', deliveries: 6 });

    // Act
    const replay = await cliJson<ReplayJson>(['dlq', 'replay', String(letter.seq)], env);

    // Assert
    expect(replay.code).toBe(0);
    expect(replay.body.results).toEqual([expect.objectContaining({ seq: letter.seq, result: 'replayed', originalSubject: SUBJECTS.inviteParsedV1, mailId, stream: 'INVITE' })]);
    expect(replay.body.results[0]!.msgId).toMatch(new RegExp(`^replay:${letter.seq}:\\d+$`));
    await eventually('the replayed invitation in Homer\'s diary', 10_000, async () =>
      (await listDiary(t.appointment(), 'homer@example.org')).entries.find((a) => a.uid === 'dlq-replay-1'));
    expect((await list()).map((d) => d.seq)).not.toContain(letter.seq);
    const explained = await cliJson<{ mails: Array<{ received: unknown; appointment: { outcomes: Array<{ outcome: string }> } }> }>(['explain', mailId], env);
    expect(explained.code).toBe(0);
    expect(explained.body.mails[0]).toMatchObject({ received: null, appointment: { outcomes: [{ outcome: 'APPLIED' }] } });
  });

  test('When a replayed message fails again, then it comes back as a new dead letter; an unknown sequence fails with exit 1 and a bad command line with 2', async () => {
    // Arrange
    const before = new Set((await list()).map((d) => d.seq));
    await publish(js, SUBJECTS.inviteParsedV1, Uint8Array.from([0xfe, 0xff]), { msgId: 'test:undecodable-2' });
    const first = await eventually('the dead letter', 10_000, async () => (await list()).find((d) => d.code === 'EVENT_UNDECODABLE' && !before.has(d.seq)));

    // Act
    const replay = await cli(['dlq', 'replay', String(first.seq)], env);
    const unknown = await cliJson<ReplayJson>(['dlq', 'replay', '999999'], env);

    // Assert
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/1 replayed, 0 not/);
    const again = await eventually('the same payload dead-lettered again', 10_000, async () =>
      (await list()).find((d) => d.code === 'EVENT_UNDECODABLE' && d.seq > first.seq));
    expect((await list()).map((d) => d.seq)).not.toContain(first.seq);
    expect(again.deliveries).toBe(1);
    expect(unknown.code).toBe(1);
    expect(unknown.body.results).toEqual([expect.objectContaining({ seq: 999999, result: 'failed', error: expect.stringMatching(/no dead letter with sequence 999999/) })]);
    expect((await cli(['dlq', 'replay'], env)).code).toBe(2);
    expect((await cli(['dlq', 'replay', '1', '--all'], env)).code).toBe(2);
    expect((await cli(['dlq', 'replay', 'x'], env)).code).toBe(2);
  });

  test('When a received mail\'s raw bytes are missing, then explain shows the parser\'s dead letter, and replay --all --subject replays only that subject', async () => {
    // Arrange: a mail.received.v1 whose object was never stored; the parser gives up at once
    const mailId = randomUUID();
    await publish(js, SUBJECTS.mailReceivedV1, eventsV1.MailReceived.encode({
      mailId, objectStore: 'raw-mail', objectName: mailId, sha256: '0'.repeat(64), size: 10, envelopeFrom: 'a@partner.example',
      envelopeTo: ['homer@example.org'], messageId: `<${mailId}@lost.example>`, receivedAt: new Date(), source: 'smtp', rawInline: Buffer.alloc(0),
    }).finish(), { msgId: `mail:${mailId}` });

    // Act
    const explained = await eventually('the dead letter in explain', 10_000, async () => {
      const run = await cliJson<{ mails: Array<{ parser: { result: string }; deadLetters: DeadLetterJson[] }> }>(['explain', mailId], env);
      return run.body.mails?.[0]?.deadLetters.length ? run : undefined;
    });
    const others = (await list()).filter((d) => d.originalSubject !== SUBJECTS.mailReceivedV1).length;
    const replay = await cliJson<ReplayJson>(['dlq', 'replay', '--all', '--subject', SUBJECTS.mailReceivedV1], env);

    // Assert
    expect(explained.code).toBe(0);
    expect(explained.body.mails[0]!.parser.result).toBe('none');
    expect(explained.body.mails[0]!.deadLetters).toEqual([expect.objectContaining({ code: 'RAW_MAIL_NOT_FOUND', originalSubject: SUBJECTS.mailReceivedV1, mailId, consumer: 'parser' })]);
    const human = await cli(['explain', `<${mailId}@lost.example>`], env);
    expect(human.stdout).toMatch(/dead letter\s+RAW_MAIL_NOT_FOUND on mail\.received\.v1 \(MAIL\/parser, 1 delivery\)/);
    expect(human.stdout).toMatch(/note: no parser outcome yet/);
    expect(replay.code).toBe(0);
    expect(replay.body.results).toEqual([expect.objectContaining({ result: 'replayed', originalSubject: SUBJECTS.mailReceivedV1, mailId })]);
    expect((await list()).filter((d) => d.originalSubject !== SUBJECTS.mailReceivedV1)).toHaveLength(others);
  });
});
