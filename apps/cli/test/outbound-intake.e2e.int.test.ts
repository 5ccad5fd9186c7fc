import { testNatsConnectOptions } from '@inviteflow/testing';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { MongoClient } from 'mongodb';
import { SUBJECTS } from '@inviteflow/contracts';
import { eventsV1 } from '@inviteflow/proto-gen';
import { eventually, startTestCluster, TestCluster } from './cluster.harness';

describe('outbound-mail consumes its subject', () => {
  let t: TestCluster;

  beforeAll(async () => {
    t = await startTestCluster(['example.org']);
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  }, 60_000);

  test('When an outbound request is published twice, then outbound-mail records it once as queued', async () => {
    // Arrange
    const nc = await connect({ servers: t.infra.natsUrl, ...testNatsConnectOptions() });
    const js = jetstream(nc);
    const request = eventsV1.OutboundRequested.encode(eventsV1.OutboundRequested.fromPartial({
      requestId: 'req-1', method: 'REQUEST', uid: 'uid-out-1', sequence: 0, recipients: ['partner@elsewhere.test'], calendar: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
    })).finish();
    // Act: two publishes with different msg ids get past JetStream's dedup; the handler must be idempotent
    await js.publish(SUBJECTS.mailOutboundRequestedV1, request, { msgID: 'test-out-1a' });
    await js.publish(SUBJECTS.mailOutboundRequestedV1, request, { msgID: 'test-out-1b' });
    await nc.close();
    // Assert
    const client = await MongoClient.connect(t.infra.mongoUrl);
    try {
      const requests = client.db(`${t.dbPrefix}outbound_mail`).collection('outbound_requests');
      const docs = await eventually('the recorded request', 10_000, async () => {
        const found = await requests.find({}).toArray();
        return found.length > 0 ? found : undefined;
      });
      await new Promise((r) => setTimeout(r, 500));
      expect(await requests.countDocuments({})).toBe(1);
      expect(docs[0]).toMatchObject({ _id: 'req-1', state: 'queued', uid: 'uid-out-1', recipients: ['partner@elsewhere.test'] });
    } finally {
      await client.close();
    }
  });
});
