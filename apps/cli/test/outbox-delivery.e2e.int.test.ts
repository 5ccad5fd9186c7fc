// `inviteflow outbox` and `status` against the built cluster delivering to a real SMTP server on
// loopback (issue 11 §6): each mail's state, the relay's answer or the reason, and the counts.
import { SUBJECTS } from '@inviteflow/contracts';
import { connectNats, publish } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { startLoopbackRelay, uniqueSuffix, type LoopbackRelay, testNatsAuth } from '@inviteflow/testing';
import { cli, cliEnv, cliJson } from './cli.runner';
import { eventually, startTestCluster, type TestCluster } from './cluster.harness';

interface OutboxJson {
  entries: { key: string; deliveries: { recipient: string; state: string; relayResponse: string; failureCode: string; lastError: string; attempts: number }[] }[];
}

const MARGE = { address: 'marge@example.org', name: 'Marge Simpson' };

/** A REQUEST command as appointment's outbound.commands.ts writes one (one recipient, structured events). */
function request(requestId: string, uid: string, to: string): Uint8Array {
  const event = {
    sequence: 0, dtstamp: new Date('2026-03-01T07:00:00Z'), start: new Date('2026-03-10T08:00:00Z'), end: new Date('2026-03-10T09:00:00Z'),
    timeZone: 'Europe/Oslo', summary: 'Bakery tasting', status: 'CONFIRMED', organizer: MARGE,
    attendees: [{ ...MARGE, partstat: 'ACCEPTED', role: 'CHAIR' }, { address: to, partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT', rsvp: true }],
  };
  return eventsV1.OutboundRequested.encode(eventsV1.OutboundRequested.fromPartial({
    requestId, method: 'REQUEST', uid, sequence: 0, recipients: [to], organizer: MARGE, actor: MARGE, summary: event.summary, start: event.start, end: event.end,
    timeZone: 'Europe/Oslo', reason: 'NEW', requestedAt: new Date('2026-03-01T07:00:00Z'), events: [event],
  })).finish();
}

describe('inviteflow outbox and status show each outbound mail\'s delivery', () => {
  let relay: LoopbackRelay;
  let t: TestCluster;

  beforeAll(async () => {
    relay = await startLoopbackRelay();
    t = await startTestCluster(['example.org'], { mailRelay: { host: '127.0.0.1', port: relay.port } });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await relay?.close();
  }, 60_000);

  test('When one mail is accepted and one refused with 550, then outbox shows sent with the relay\'s answer and failed with the reason, and status counts them', async () => {
    // Arrange
    const uid = `outbox-${uniqueSuffix()}@example.org`;
    const refused = `nobody-${uniqueSuffix()}@partner.example`;
    relay.script(refused, { code: 550, message: '5.1.1 User unknown', times: 1000 });
    const nats = await connectNats({ servers: [t.infra.natsUrl], name: 'outbox-e2e', auth: testNatsAuth() });
    for (const [key, to] of [[`${uid}:ok`, 'guest@partner.example'], [`${uid}:refused`, refused]] as const) {
      await publish(nats.js, SUBJECTS.mailOutboundRequestedV1, request(key, uid, to), { msgId: key });
    }
    await nats.drain();
    const env = cliEnv(t);
    // Act
    const out = await eventually('both deliveries finished', 20_000, async () => {
      const run = await cliJson<OutboxJson>(['outbox', '--uid', uid], env);
      const states = run.body.entries.flatMap((e) => e.deliveries.map((d) => d.state));
      return states.length === 2 && states.every((s) => s === 'sent' || s === 'failed') ? run.body : undefined;
    });
    const human = await cli(['outbox', '--uid', uid], env);
    const status = await cliJson<{ outboundMail: { counts: Record<string, number>; deliveryEnabled: boolean } }>(['status'], env);
    // Assert
    const byKey = Object.fromEntries(out.entries.map((e) => [e.key, e.deliveries[0]!]));
    expect(byKey[`${uid}:ok`]).toMatchObject({ state: 'sent', attempts: 1, relayResponse: expect.stringMatching(/^250 /) });
    expect(byKey[`${uid}:refused`]).toMatchObject({ state: 'failed', failureCode: 'SMTP_PERMANENT_FAILURE', lastError: expect.stringContaining('5.1.1 User unknown') });
    expect(human.stdout).toMatch(/sent .*250 /);
    expect(human.stdout).toMatch(/failed .*SMTP_PERMANENT_FAILURE: 550 5.1.1 User unknown/);
    expect(status.body.outboundMail).toMatchObject({ deliveryEnabled: true, counts: expect.objectContaining({ sent: 1, failed: 1 }) });
    expect(relay.received.filter((m) => m.to.includes('guest@partner.example'))).toHaveLength(1);
  });
});
