// What the running appointment service tells the world (issue 9 §1: events derived from
// decisions, never guessed from the storage result): scheduled once per new copy, updated and
// cancelled per applied decision, nothing for a redelivery or a stale message, nothing that looks
// like a schedule for a CANCEL of an unknown meeting, and a REFRESH answered by an outbound REQUEST.
import { SUBJECTS } from '@inviteflow/contracts';
import type { ProvisionedInfra } from '@inviteflow/infra';
import { connectNats, NatsHandle, publish } from '@inviteflow/messaging';
import type { RunningService } from '@inviteflow/platform';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { RunningGrpcServer } from '@inviteflow/rpc';
import { startInProcess, startPrivateNats, uniqueSuffix, testNatsAuth } from '@inviteflow/testing';
import { appointmentConfig } from '../src/config';
import { start } from '../src/start';
import { FakeIdentity } from './fake-identity';
import { startFakeIdentityServer } from './fake-identity.server';

const JOHN = 'john.doe@contoso.com';
const BOSS = 'boss@partner.example';

interface Heard { subject: string; uid: string; mailId: string; detail: string }

function message(o: { mailId: string; uid: string; method: string; seq?: number; from: string; organizer: string; attendee: string; start?: boolean }): Uint8Array {
  const timed = o.start ?? o.method === 'REQUEST';
  return eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
    mailId: o.mailId, method: o.method, uid: o.uid, mail: { envelopeTo: [JOHN], from: o.from },
    events: [{
      sequence: o.seq ?? 0, dtstamp: new Date('2026-03-01T08:00:00Z'),
      start: timed ? new Date('2026-03-10T09:00:00Z') : undefined, end: timed ? new Date('2026-03-10T10:00:00Z') : undefined,
      summary: 'Budget', organizer: { address: o.organizer }, attendees: [{ address: o.attendee, partstat: 'NEEDS-ACTION' }],
    }],
  })).finish();
}

describe('the events and outbound requests of the running appointment service', () => {
  let infra: ProvisionedInfra;
  let identityServer: RunningGrpcServer;
  let service: RunningService;
  let nats: NatsHandle;
  const heard: Heard[] = [];

  beforeAll(async () => {
    infra = await startPrivateNats('appt-events');
    const directory = new FakeIdentity();
    directory.addAssociate('JOHN', { primaryAddress: JOHN, timeZone: 'Europe/Oslo' });
    identityServer = await startFakeIdentityServer(directory);
    service = await startInProcess({ service: 'appointment', schema: appointmentConfig, start }, {
      NATS_URL: infra.natsUrl, IDENTITY_GRPC_ADDR: `127.0.0.1:${identityServer.port}`, OUR_DOMAINS: 'contoso.com', CONSUMER_CONCURRENCY: '1',
    });
    nats = await connectNats({ servers: [infra.natsUrl], name: 'appointment-events-test', auth: testNatsAuth() });
    const listen = (subject: string, read: (data: Uint8Array) => Omit<Heard, 'subject'>) =>
      nats.nc.subscribe(subject, { callback: (_err, msg) => void heard.push({ subject, ...read(msg.data) }) });
    listen(SUBJECTS.appointmentScheduledV1, (d) => { const e = eventsV1.AppointmentScheduled.decode(d); return { uid: e.uid, mailId: e.mailId, detail: e.appointmentId }; });
    for (const subject of [SUBJECTS.appointmentUpdatedV1, SUBJECTS.appointmentCancelledV1]) {
      listen(subject, (d) => { const e = eventsV1.AppointmentChanged.decode(d); return { uid: e.uid, mailId: e.mailId, detail: `${e.reason} ${e.changes.join(',')}` }; });
    }
    listen(SUBJECTS.mailOutboundRequestedV1, (d) => { const e = eventsV1.OutboundRequested.decode(d); return { uid: e.uid, mailId: '', detail: `${e.method} ${e.recipients.join(',')} ${e.calendar.includes('METHOD:REQUEST')}` }; });
    await nats.nc.flush();
  }, 60_000);

  afterAll(async () => {
    await nats?.drain();
    await service?.stop();
    await identityServer?.shutdown(1000);
    await infra?.stop();
  });

  /** Publishes in order (one consumer slot keeps it) and waits, by attempts, until `count` events were heard for `uid`. */
  async function run(uid: string, messages: Uint8Array[], count: number): Promise<string[][]> {
    for (const [i, m] of messages.entries()) await publish(nats.js, SUBJECTS.inviteParsedV1, m, { msgId: `${uid}-${i}` });
    const mine = () => heard.filter((h) => h.uid === uid);
    for (let attempt = 0; attempt < 200 && mine().length < count; attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
    // A marker message after the others: once it is heard, nothing else for `uid` is on its way.
    const marker = `marker-${uniqueSuffix()}`;
    await publish(nats.js, SUBJECTS.inviteParsedV1, message({ mailId: marker, uid: marker, method: 'REQUEST', from: BOSS, organizer: BOSS, attendee: JOHN }), { msgId: marker });
    for (let attempt = 0; attempt < 200 && !heard.some((h) => h.uid === marker); attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
    return mine().map((h) => [h.subject, h.mailId, h.detail]);
  }

  test('When an invitation, its redelivery, an update, a stale copy and a cancel arrive, then each change is announced once', async () => {
    const uid = `events-${uniqueSuffix()}`;
    const m = (mailId: string, method: string, seq: number) => message({ mailId, uid, method, seq, from: BOSS, organizer: BOSS, attendee: JOHN });
    const events = await run(uid, [m('a', 'REQUEST', 0), m('a2', 'REQUEST', 0), m('b', 'REQUEST', 1), m('c', 'REQUEST', 0), m('d', 'CANCEL', 2)], 3);
    expect(events).toEqual([
      [SUBJECTS.appointmentScheduledV1, 'a', `JOHN|${uid}`],
      [SUBJECTS.appointmentUpdatedV1, 'b', 'UPDATED '],
      [SUBJECTS.appointmentCancelledV1, 'd', 'CANCELLED CANCELLED'],
    ]);
  });

  test('When a CANCEL arrives for a meeting nobody has, then it is announced as a cancel, never as a new appointment', async () => {
    const uid = `orphan-cancel-${uniqueSuffix()}`;
    const events = await run(uid, [message({ mailId: 'x', uid, method: 'CANCEL', seq: 1, from: BOSS, organizer: BOSS, attendee: JOHN })], 1);
    expect(events.map(([subject]) => subject)).toEqual([SUBJECTS.appointmentCancelledV1]);
  });

  test('When an invited attendee asks the organizer for a REFRESH, then the current REQUEST is requested for them from outbound-mail', async () => {
    const uid = `refresh-${uniqueSuffix()}`;
    const own = message({ mailId: 'own', uid, method: 'REQUEST', from: JOHN, organizer: JOHN, attendee: BOSS });
    const refresh = message({ mailId: 'refresh', uid, method: 'REFRESH', from: BOSS, organizer: JOHN, attendee: BOSS, start: false });
    const events = await run(uid, [own, refresh], 2);
    expect(events).toEqual([
      [SUBJECTS.appointmentScheduledV1, 'own', `JOHN|${uid}`],
      [SUBJECTS.mailOutboundRequestedV1, '', `REQUEST ${BOSS} true`],
    ]);
  });
});
