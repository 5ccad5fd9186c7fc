// The RSVP endpoint of the real outbound-mail service (start(), in-process, every port 0) on
// loopback with a real nats-server: what a click puts on invite.parsed.v1. A fake
// AppointmentService (GetMeeting only) stands in for the scheduling agent's copy; the click's
// effect on a real copy is apps/cli/test/rsvp.e2e.int.test.ts.
import { STREAMS } from '@inviteflow/contracts';
import { connectNats, type NatsHandle } from '@inviteflow/messaging';
import { appointmentV1, eventsV1 } from '@inviteflow/proto-gen';
import { startGrpcServer, type RunningGrpcServer } from '@inviteflow/rpc';
import { startInProcess, type InProcessRunning, testNatsAuth, testGrpcSecurity } from '@inviteflow/testing';
import { outboundConfig } from '../src/config';
import { signToken, tokenIdOf, type RsvpClaims } from '../src/rsvp/rsvp.token';
import { start } from '../src/start';

const SECRET = 'integration-test-secret-0123456789abcdef';
const KEY = { id: 't1', secret: Buffer.from(SECRET) };
const LENNY = 'lenny@partner.example';
const MARGE = 'marge@example.org';
const claims = (o: Partial<RsvpClaims> = {}): RsvpClaims => ({
  attendee: LENNY, organizer: MARGE, uid: 'uid-rsvp-1', recurrenceId: '', sequence: 1, partstat: 'ACCEPTED', expiresAt: Math.floor(Date.now() / 1000) + 3600, ...o,
});

/** The organizer's copy the fake AppointmentService answers with: SEQUENCE 2 for 'uid-moved'. */
function fakeAppointment(): Promise<RunningGrpcServer> {
  const getMeeting = (call: { request: appointmentV1.GetMeetingRequest }, cb: (err: null, res: appointmentV1.GetMeetingResponse) => void): void => {
    const sequence = call.request.uid === 'uid-moved' ? 2 : 1;
    cb(null, appointmentV1.GetMeetingResponse.fromPartial({
      uid: call.request.uid,
      copies: [{ uid: call.request.uid, role: 'organizer', status: 'active', sequence, master: { version: { sequence }, summary: 'Planning', attendees: [{ address: LENNY }] } }],
    }));
  };
  return startGrpcServer({ host: '127.0.0.1', port: 0, security: testGrpcSecurity().server(), services: [{ name: 'inviteflow.appointment.v1.AppointmentService', definition: appointmentV1.AppointmentServiceService, implementation: { getMeeting } }] });
}

describe('the RSVP endpoint on loopback', () => {
  let service: InProcessRunning;
  let nats: NatsHandle;
  let appointment: RunningGrpcServer;
  let base: string;

  const invites = async (): Promise<eventsV1.InviteParsed[]> => {
    const info = await nats.jsm.streams.info(STREAMS.invite.name);
    const out: eventsV1.InviteParsed[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      out.push(eventsV1.InviteParsed.decode((await nats.jsm.streams.getMessage(STREAMS.invite.name, { seq }))!.data));
    }
    return out;
  };
  const click = (method: 'GET' | 'POST', token: string) => fetch(`${base}/rsvp/${token}`, { method, redirect: 'manual' }).then(async (r) => ({ status: r.status, html: await r.text(), headers: r.headers }));

  beforeAll(async () => {
    appointment = await fakeAppointment();
    service = await startInProcess({ service: 'outbound-mail', schema: outboundConfig, start }, {
      RSVP_HTTP_PORT: '0', RSVP_SECRET: `t1:${SECRET}`, APPOINTMENT_GRPC_ADDR: `127.0.0.1:${appointment.port}`,
    });
    base = `http://127.0.0.1:${service.ports['rsvp']}`;
    nats = await connectNats({ servers: [service.natsUrl], name: 'rsvp-endpoint-test', auth: testNatsAuth() });
  });

  afterAll(async () => {
    await nats?.drain();
    await service?.stop();
    await appointment?.shutdown(1000);
  });

  test('When a link is opened (GET), then a confirmation page with a button is shown, uncacheable, and nothing is published', async () => {
    // Arrange
    const token = signToken(claims({ uid: 'uid-get' }), KEY);
    // Act
    const page = await click('GET', token);
    // Assert
    expect([page.status, page.headers.get('cache-control'), page.headers.get('referrer-policy')]).toEqual([200, 'no-store', 'no-referrer']);
    expect(page.html).toContain(`<form method="post" action="/rsvp/${token}">`);
    expect((await invites()).filter((i) => i.uid === 'uid-get')).toEqual([]);
  });

  test('When the button is pressed twice, then one REPLY from the attendee to the organizer is on invite.parsed.v1, under rsvp:<token id>', async () => {
    // Arrange
    const token = signToken(claims({ uid: 'uid-post', partstat: 'TENTATIVE' }), KEY);
    // Act
    const first = await click('POST', token);
    const second = await click('POST', token);
    // Assert
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.html).toContain('tentatively accepted');
    const replies = (await invites()).filter((i) => i.uid === 'uid-post');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ mailId: `rsvp:${tokenIdOf(token)}`, method: 'REPLY', mail: { from: LENNY, envelopeTo: [MARGE] } });
    expect(replies[0]!.events[0]).toMatchObject({ sequence: 1, recurrenceId: '', attendees: [expect.objectContaining({ address: LENNY, partstat: 'TENTATIVE' })] });
  });

  test.each([
    ['forged', () => signToken(claims({ uid: 'uid-bad' }), { id: 't1', secret: Buffer.from('not-the-secret-not-the-secret-xx') }), 403],
    ['expired', () => signToken(claims({ uid: 'uid-bad', expiresAt: Math.floor(Date.now() / 1000) - 60 }), KEY), 410],
    ['for an attendee other than the one it names', () => {
      const [kid, , sig] = signToken(claims({ uid: 'uid-bad' }), KEY).split('.');
      const payload = signToken(claims({ uid: 'uid-bad', attendee: 'carl@partner.example' }), KEY).split('.')[1];
      return `${kid}.${payload}.${sig}`;
    }, 403],
    ['outdated (the meeting is at SEQUENCE 2)', () => signToken(claims({ uid: 'uid-moved' }), KEY), 409],
    ['truncated', () => signToken(claims({ uid: 'uid-bad' }), KEY).split('.').slice(0, 2).join('.'), 400],
  ])('When the link posted is %s, then a 4xx page says so and nothing is published', async (_what, make, status) => {
    const page = await click('POST', make());

    expect([page.status, page.html]).toEqual([status, expect.stringContaining('Nothing was changed')]);
    expect((await invites()).filter((i) => i.uid === 'uid-bad' || i.uid === 'uid-moved')).toEqual([]);
  });

  test('When another path or method is asked, then 404 / 405 and nothing happens', async () => {
    const [other, put] = await Promise.all([fetch(`${base}/admin`), fetch(`${base}/rsvp/abc`, { method: 'PUT' })]);

    expect([other.status, put.status, put.headers.get('allow')]).toEqual([404, 405, 'GET, HEAD, POST']);
  });
});
