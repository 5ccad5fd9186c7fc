// Issue 9 §6: two appointment processes on one durable consumer; a REQUEST and the replies of
// ten attendees published at once for one UID. Whatever replica takes which message and in which
// order, the organizer's copy ends with every answer: the version guard makes a lost race re-read
// and re-apply, and a reply that beats the REQUEST is held and applied when the copy appears.
import { SUBJECTS } from '@inviteflow/contracts';
import type { ProvisionedInfra } from '@inviteflow/infra';
import { connectMongo, MongoConnection } from '@inviteflow/mongo';
import { connectNats, NatsHandle, publish } from '@inviteflow/messaging';
import type { RunningService } from '@inviteflow/platform';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { RunningGrpcServer } from '@inviteflow/rpc';
import { startInProcess, startPrivateNats, testMongoUrl, uniqueSuffix, testNatsAuth } from '@inviteflow/testing';
import { appointmentConfig } from '../src/config';
import { MeetingRepository } from '../src/data/meeting.repository';
import { OutcomeRepository } from '../src/data/outcome.repository';
import { start } from '../src/start';
import { FakeIdentity } from './fake-identity';
import { startFakeIdentityServer } from './fake-identity.server';

const MARGE = 'marge@example.org';
const ATTENDEES = Array.from({ length: 10 }, (_, i) => `guest${i}@partner.example`);
const PARTSTATS = ['ACCEPTED', 'DECLINED', 'TENTATIVE'];
const START = new Date('2026-04-07T08:00:00Z');

function message(mailId: string, method: string, from: string, attendees: { address: string; partstat: string }[], uid: string): eventsV1.InviteParsed {
  return eventsV1.InviteParsed.fromPartial({
    mailId, method, uid, mail: { envelopeTo: [MARGE], from },
    events: [{
      sequence: 0, dtstamp: new Date(method === 'REQUEST' ? '2026-04-01T08:00:00Z' : '2026-04-01T09:00:00Z'),
      start: method === 'REQUEST' ? START : undefined, end: method === 'REQUEST' ? new Date(START.getTime() + 3_600_000) : undefined,
      summary: 'Quarterly review', organizer: { address: MARGE, name: 'Marge' }, attendees,
    }],
  });
}

describe('two appointment processes on one consumer', () => {
  let infra: ProvisionedInfra;
  let identityServer: RunningGrpcServer;
  let replicas: RunningService[];
  let nats: NatsHandle;
  let mongo: MongoConnection;
  const dbName = `appointment_replicas_${uniqueSuffix()}`;

  beforeAll(async () => {
    infra = await startPrivateNats('appt-replicas');
    const directory = new FakeIdentity();
    directory.addAssociate('MARGE', { primaryAddress: MARGE, timeZone: 'Europe/Oslo' });
    identityServer = await startFakeIdentityServer(directory);
    const env = { NATS_URL: infra.natsUrl, MONGO_DB: dbName, IDENTITY_GRPC_ADDR: `127.0.0.1:${identityServer.port}`, OUR_DOMAINS: 'example.org', CONSUMER_CONCURRENCY: '8' };
    replicas = [];
    for (const _ of [1, 2]) replicas.push(await startInProcess({ service: 'appointment', schema: appointmentConfig, start }, env));
    nats = await connectNats({ servers: [infra.natsUrl], name: 'two-replicas-test', auth: testNatsAuth() });
    mongo = await connectMongo({ url: testMongoUrl(), dbName, appName: 'two-replicas-test' });
  }, 90_000);

  afterAll(async () => {
    await nats?.drain();
    for (const r of replicas ?? []) await r.stop();
    await mongo?.db.dropDatabase();
    await mongo?.close();
    await identityServer?.shutdown(1000);
    await infra?.stop();
  });

  test.each([1, 2, 3])('When a REQUEST and ten replies arrive at once (round %i), then the organizer copy holds every answer', async (round) => {
    // Arrange
    const uid = `review-${round}-${uniqueSuffix()}`;
    const invited = ATTENDEES.map((address) => ({ address, partstat: 'NEEDS-ACTION' }));
    const answers = ATTENDEES.map((address, i) => ({ address, partstat: PARTSTATS[(i + round) % PARTSTATS.length]! }));
    const messages = [
      message(`${uid}-request`, 'REQUEST', MARGE, invited, uid),
      ...answers.map((a, i) => message(`${uid}-reply-${i}`, 'REPLY', a.address, [a], uid)),
    ];
    // Act: all eleven published without waiting for one another
    await Promise.all(messages.map((m) => publish(nats.js, SUBJECTS.inviteParsedV1, eventsV1.InviteParsed.encode(m).finish(), { msgId: m.mailId })));
    const outcomes = new OutcomeRepository(mongo.db);
    const meetings = new MeetingRepository(mongo.db);
    // Bounded by attempts, not by a clock assertion: the consumers apply asynchronously.
    let answered: string[][] = [];
    for (let attempt = 0; attempt < 400; attempt++) {
      const copy = await meetings.find('MARGE', uid);
      answered = (copy?.master?.attendees ?? []).filter((a) => a.answer).map((a) => [a.address, a.answer!.partstat]);
      const recorded = (await outcomes.historyOf(uid)).filter((h) => h.arrival !== undefined).length;
      if (answered.length === ATTENDEES.length && recorded === messages.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Assert
    expect(answered).toEqual(answers.map((a) => [a.address, a.partstat]));
    const history = await outcomes.historyOf(uid);
    expect(history).toHaveLength(11);
    expect(history.map((h) => h.outcome)).toEqual(Array(11).fill('APPLIED'));
    const copy = (await meetings.find('MARGE', uid))!;
    expect([copy.role, copy.master!.version.sequence]).toEqual(['organizer', 0]);
  }, 60_000);
});
