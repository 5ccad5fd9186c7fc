import { eventsV1 } from '@inviteflow/proto-gen';
import { defineConfig, loadConfig } from '@inviteflow/runtime';
import { rsvpConfig } from './rsvp.config';
import { keyringFrom } from './rsvp.keyring';
import { createRsvpLinkFactory, expiryOf } from './rsvp.links';
import { verifyToken, type RsvpKeyring } from './rsvp.token';

const NOW = new Date('2026-03-02T12:00:00Z');
const DAY = 86_400;
const ring = keyringFrom({ rsvpSecret: [{ id: 'k1', secret: 'x'.repeat(32) }], rsvpHttpHost: '127.0.0.1', rsvpPublicBaseUrl: undefined }).keyring;
const cmd = (o: Partial<eventsV1.OutboundRequested> = {}): eventsV1.OutboundRequested => eventsV1.OutboundRequested.fromPartial({
  requestId: 'crm:book-1:uid-1:0:REQUEST::lenny@partner.example', method: 'REQUEST', uid: 'uid-1', sequence: 0, recipients: ['lenny@partner.example'],
  organizer: { address: 'Marge@Example.org' }, start: new Date('2026-03-10T08:00:00Z'), end: new Date('2026-03-10T09:00:00Z'), requestedAt: NOW, ...o,
});
const factory = (keyring: RsvpKeyring = ring) => createRsvpLinkFactory({ keyring, publicBaseUrl: 'https://rsvp.example.com', ttlDays: 30, now: () => NOW });
const tokenOf = (url: string): string => url.slice('https://rsvp.example.com/rsvp/'.length);

describe('RSVP link factory', () => {
  test('When a REQUEST goes to an external attendee, then it gets three links, each a token for that attendee, meeting, SEQUENCE and answer', () => {
    // Act
    const links = factory()(cmd({ sequence: 4 }), 'Lenny@Partner.example')!;
    // Assert
    const claims = [links.accept, links.tentative, links.decline].map((u) => {
      const r = verifyToken(tokenOf(u), ring, NOW.getTime());
      return r.ok ? [r.claims.attendee, r.claims.organizer, r.claims.uid, r.claims.sequence, r.claims.partstat] : r.reason;
    });
    expect(claims).toEqual([
      ['lenny@partner.example', 'marge@example.org', 'uid-1', 4, 'ACCEPTED'],
      ['lenny@partner.example', 'marge@example.org', 'uid-1', 4, 'TENTATIVE'],
      ['lenny@partner.example', 'marge@example.org', 'uid-1', 4, 'DECLINED'],
    ]);
    expect(links.accept.startsWith('https://rsvp.example.com/rsvp/k1.')).toBe(true);
  });

  test('When the same command is rendered twice, then the links are the same (a retry is the same mail)', () => {
    expect(factory()(cmd(), 'lenny@partner.example')).toEqual(factory()(cmd(), 'lenny@partner.example'));
  });

  test('When the REQUEST is for one instance, then the links carry its RECURRENCE-ID', () => {
    const links = factory()(cmd({ recurrenceId: '2026-03-17T08:00:00.000Z' }), 'lenny@partner.example')!;

    const r = verifyToken(tokenOf(links.decline), ring, NOW.getTime());

    expect(r.ok && r.claims.recurrenceId).toBe('2026-03-17T08:00:00.000Z');
  });

  test.each(['CANCEL', 'REPLY', 'COUNTER', 'DECLINECOUNTER', 'ADD'])('When the method is %s, then there are no links', (method) => {
    expect(factory()(cmd({ method }), 'lenny@partner.example')).toBeUndefined();
  });

  test('When the recipient is the organizer, or the command names no organizer, then there are no links', () => {
    expect([factory()(cmd(), 'marge@example.org'), factory()(cmd({ organizer: undefined }), 'lenny@partner.example')]).toEqual([undefined, undefined]);
  });

  test('When the meeting is soon, then links live the TTL; when it is further away, then until a day after it ends', () => {
    const soon = expiryOf(cmd(), 30, () => NOW);
    const later = expiryOf(cmd({ start: new Date('2026-09-01T08:00:00Z'), end: new Date('2026-09-01T09:00:00Z') }), 30, () => NOW);

    expect([soon, later]).toEqual([NOW.getTime() / 1000 + 30 * DAY, Date.parse('2026-09-01T09:00:00Z') / 1000 + DAY]);
  });
});

describe('RSVP keys', () => {
  const schema = defineConfig(rsvpConfig);

  test('When RSVP_SECRET lists keys, then the first signs and every one verifies', () => {
    // Arrange
    const config = loadConfig(schema, { RSVP_SECRET: `k2:${'b'.repeat(32)}, k1:${'a'.repeat(32)}` }, { service: 'outbound-mail' });
    // Act
    const { keyring, ephemeral } = keyringFrom(config);
    // Assert
    expect([keyring.signing.id, [...keyring.byId.keys()], ephemeral]).toEqual(['k2', ['k2', 'k1'], false]);
  });

  test('When RSVP_SECRET is too short or repeats a key id, then the configuration is refused at boot', () => {
    expect(() => loadConfig(schema, { RSVP_SECRET: 'short' }, { service: 'outbound-mail' })).toThrow(/RSVP_SECRET/);
    expect(() => loadConfig(schema, { RSVP_SECRET: `a:${'x'.repeat(32)},a:${'y'.repeat(32)}` }, { service: 'outbound-mail' })).toThrow(/RSVP_SECRET/);
  });

  test('When RSVP_SECRET is unset and everything is loopback, then a random key of the process signs', () => {
    const a = keyringFrom({ rsvpSecret: undefined, rsvpHttpHost: '127.0.0.1', rsvpPublicBaseUrl: 'http://localhost:8480' });
    const b = keyringFrom({ rsvpSecret: undefined, rsvpHttpHost: '127.0.0.1', rsvpPublicBaseUrl: undefined });

    expect([a.ephemeral, a.keyring.signing.id, a.keyring.signing.secret.equals(b.keyring.signing.secret)]).toEqual([true, 'dev', false]);
  });

  test.each([
    ['the listener is not loopback', '0.0.0.0', undefined],
    ['the public base URL is not loopback', '127.0.0.1', 'https://rsvp.example.com'],
  ])('When RSVP_SECRET is unset and %s, then the boot is refused with RSVP_SECRET_REQUIRED', (_what, host, base) => {
    expect(() => keyringFrom({ rsvpSecret: undefined, rsvpHttpHost: host, rsvpPublicBaseUrl: base })).toThrow(expect.objectContaining({ code: 'RSVP_SECRET_REQUIRED' }));
  });
});
