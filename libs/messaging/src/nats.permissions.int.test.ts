// Per-service NATS credentials against the run's nats-server (authorization on, the run's keys
// from the Jest global set-up): what a service's credential may and may not do (issue 15 §1).
import { connect } from '@nats-io/transport-node';
import type { Msg, NatsConnection } from '@nats-io/nats-core';
import { SUBJECTS } from '@inviteflow/contracts';
import { natsAuthOptions } from './nats.auth';
import { testAuth, testNatsUrl } from './int-test.support';
import type { NatsIdentity } from './nats.permissions';

/** Generous: two busy cores and other suites' servers share the machine. */
const CONNECT_TIMEOUT_MS = 30_000;

function connectAs(identity: NatsIdentity): Promise<NatsConnection> {
  return connect({ servers: testNatsUrl(), timeout: CONNECT_TIMEOUT_MS, maxReconnectAttempts: 0, name: `permissions-test-${identity}`, ...natsAuthOptions(testAuth(identity)) });
}

/** The first message on `subject`, with everything `watch` saw until then (one connection keeps order). */
function firstOn(nc: NatsConnection, subject: string, watch: string): { arrived: Promise<Msg>; seen: string[] } {
  const seen: string[] = [];
  nc.subscribe(watch, { callback: (_err, msg) => void seen.push(msg.subject) });
  let resolve: (msg: Msg) => void = () => undefined;
  const arrived = new Promise<Msg>((r) => { resolve = r; });
  nc.subscribe(subject, { max: 1, callback: (_err, msg) => resolve(msg) });
  return { arrived, seen };
}

jest.setTimeout(90_000);

describe('NATS credentials and permissions', () => {
  let observer: NatsConnection;

  beforeAll(async () => {
    // The run's server must have authorization on: the suite runs with security on.
    expect(process.env['INVITEFLOW_NATS_CREDENTIALS_DIR']).toBeTruthy();
    observer = await connectAs('test');
  });

  afterAll(async () => {
    await observer?.close();
  });

  test('Given no credentials, When a client connects, Then NATS refuses it', async () => {
    await expect(connect({ servers: testNatsUrl(), timeout: CONNECT_TIMEOUT_MS, maxReconnectAttempts: 0 })).rejects.toThrow(/Authorization Violation/);
  });

  test("Given the parser's credential, When it publishes appointment.scheduled.v1, Then NATS refuses and nobody receives it", async () => {
    // Arrange: an observer on appointment.> and on a subject the parser may publish
    const { arrived, seen } = firstOn(observer, SUBJECTS.mailIgnoredV1, 'appointment.>');
    await observer.flush();
    const parser = await connectAs('parser');
    try {
      // Act
      const refused = await parser.request(SUBJECTS.appointmentScheduledV1, 'forged', { timeout: 10_000 }).then(() => undefined, (err: Error) => err);
      parser.publish(SUBJECTS.mailIgnoredV1, 'allowed');
      await parser.flush();
      // Assert: the refusal names the subject; the allowed message after it arrives, the forged one never did
      expect(String(refused?.cause ?? refused)).toMatch(/Permissions Violation for Publish to "appointment\.scheduled\.v1"/);
      expect((await arrived).string()).toBe('allowed');
      expect(seen).toEqual([]);
    } finally {
      await parser.close();
    }
  });

  test("Given the parser's credential, When it subscribes to another service's subjects, Then NATS refuses the subscription", async () => {
    const parser = await connectAs('parser');
    try {
      const sub = parser.subscribe(SUBJECTS.mailOutboundRequestedV1);
      // The server answers a refused SUB with a permissions error; nats.js closes the
      // subscription and resolves `closed` with that error.
      const outcome = await sub.closed;
      expect(String(outcome)).toMatch(/Permissions Violation for Subscription to "mail\.outbound-requested\.v1"/);
    } finally {
      await parser.close();
    }
  });

  test.each([
    ['ingest', SUBJECTS.mailReceivedV1, SUBJECTS.inviteParsedV1],
    ['identity', SUBJECTS.identityChangedV1, SUBJECTS.appointmentUpdatedV1],
    ['appointment', SUBJECTS.mailOutboundRequestedV1, SUBJECTS.mailReceivedV1],
    ['outbound-mail', SUBJECTS.mailSentV1, SUBJECTS.appointmentCancelledV1],
  ] as const)("Given %s's credential, When it publishes its own %s and another's %s, Then only its own goes through", async (identity, own, foreign) => {
    const { arrived, seen } = firstOn(observer, own, foreign);
    await observer.flush();
    const nc = await connectAs(identity);
    try {
      const refused = await nc.request(foreign, 'forged', { timeout: 10_000 }).then(() => undefined, (err: Error) => err);
      nc.publish(own, 'own');
      await nc.flush();
      expect(String(refused?.cause ?? refused)).toMatch(/Permissions Violation for Publish/);
      expect((await arrived).string()).toBe('own');
      expect(seen).toEqual([]);
    } finally {
      await nc.close();
    }
  });
});
