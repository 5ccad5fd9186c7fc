// The running outbound-mail service (start() in-process, the real renderer) delivering to a real
// SMTP server on loopback: a command on mail.outbound-requested.v1 becomes one mail at the relay,
// readable by mailparser, whose Message-ID the delivery record and ListDeliveries report.
import { simpleParser } from 'mailparser';
import { SUBJECTS } from '@inviteflow/contracts';
import { connectNats, publish, type NatsHandle } from '@inviteflow/messaging';
import { eventsV1, outboundV1 } from '@inviteflow/proto-gen';
import { callUnary, clientChannelOptions, clientCredentials } from '@inviteflow/rpc';
import { startInProcess, uniqueSuffix, type InProcessRunning, testNatsAuth, testGrpcSecurity } from '@inviteflow/testing';
import { outboundConfig } from '../src/config';
import { command as renderCommand, GUEST } from '../src/render/render.fixture';
import { start } from '../src/start';
import { startLoopbackRelay, type LoopbackRelay } from '@inviteflow/testing';

describe('the running outbound-mail service delivering to a relay on loopback', () => {
  let relay: LoopbackRelay;
  let service: InProcessRunning;
  let nats: NatsHandle;
  let client: outboundV1.OutboundServiceClient;

  beforeAll(async () => {
    relay = await startLoopbackRelay();
    service = await startInProcess({ service: 'outbound-mail', schema: outboundConfig, start }, {
      SMTP_RELAY_URL: relay.url, RSVP_ENABLED: 'false', DELIVERY_DEFER_TABLE: '20ms,20ms', DELIVERY_POLL_MS: '20',
    });
    nats = await connectNats({ servers: [service.natsUrl], name: 'outbound-component-test', auth: testNatsAuth() });
    const cli = testGrpcSecurity().client('cli');
    client = new outboundV1.OutboundServiceClient(`127.0.0.1:${service.ports['grpc']}`, clientCredentials(cli), clientChannelOptions(`127.0.0.1:${service.ports['grpc']}`, cli));
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await nats?.drain();
    await service?.stop();
    await relay?.close();
  });

  const list = (requestId: string) => callUnary<outboundV1.ListDeliveriesResponse>((md, o, cb) => client.listDeliveries({ uid: '', requestId, limit: 10 }, md, o, cb), 5000);

  async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const v = await probe();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  test('When a REQUEST command is published, then the relay receives one rendered mail whose Message-ID the outbox reports as sent', async () => {
    // Arrange
    const requestId = `component-${uniqueSuffix()}`;
    const cmd = renderCommand({ requestId });
    // Act
    await publish(nats.js, SUBJECTS.mailOutboundRequestedV1, eventsV1.OutboundRequested.encode(cmd).finish(), { msgId: requestId });
    const delivery = await until('sent', async () => (await list(requestId)).deliveries.find((d) => d.state === 'sent' && d.eventPublished));
    // Assert
    const mails = relay.received.filter((m) => m.to.includes(GUEST.address) && m.raw.toString().includes(delivery.messageId));
    expect(mails).toHaveLength(1);
    const parsed = await simpleParser(mails[0]!.raw);
    expect(parsed.messageId).toBe(delivery.messageId);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined).toBe(GUEST.address);
    expect(delivery).toMatchObject({ recipient: GUEST.address, method: 'REQUEST', uid: cmd.uid, attempts: 1, eventPublished: true });
    expect(delivery.relayResponse).toMatch(/^250 /);
    const counts = await callUnary<outboundV1.CountDeliveriesResponse>((md, o, cb) => client.countDeliveries({}, md, o, cb), 5000);
    expect(counts.deliveryEnabled).toBe(true);
    expect(counts.counts.find((c) => c.state === 'sent')?.count).toBeGreaterThanOrEqual(1);
  });

  test('When the relay refuses a recipient with 550, then ListDeliveries shows the delivery failed with the relay\'s reason', async () => {
    // Arrange
    const requestId = `component-550-${uniqueSuffix()}`;
    const to = `nobody-${uniqueSuffix()}@partner.example`;
    relay.script(to, { code: 550, message: '5.1.1 User unknown', times: 1000 });
    // Act
    await publish(nats.js, SUBJECTS.mailOutboundRequestedV1, eventsV1.OutboundRequested.encode(renderCommand({ requestId, recipients: [to] })).finish(), { msgId: requestId });
    const delivery = await until('failed', async () => (await list(requestId)).deliveries.find((d) => d.state === 'failed' && d.eventPublished));
    // Assert
    expect(delivery).toMatchObject({ recipient: to, failureCode: 'SMTP_PERMANENT_FAILURE', smtpCode: 550, attempts: 1 });
    expect(delivery.lastError).toContain('5.1.1 User unknown');
  });
});
