import { signToken, tokenIdOf, verifyToken, type RsvpClaims, type RsvpKey, type RsvpKeyring } from './rsvp.token';

const NOW = Date.parse('2026-03-02T12:00:00Z');
const key = (id: string, secret: string): RsvpKey => ({ id, secret: Buffer.from(secret.padEnd(32, '.')) });
const ring = (...keys: RsvpKey[]): RsvpKeyring => ({ signing: keys[0]!, byId: new Map(keys.map((k) => [k.id, k])) });
const K1 = key('k1', 'first secret');
const CLAIMS: RsvpClaims = {
  attendee: 'lenny@partner.example', organizer: 'marge@example.org', uid: 'uid-1@example.org', recurrenceId: '',
  sequence: 2, partstat: 'ACCEPTED', expiresAt: NOW / 1000 + 3600,
};

/** Re-encodes a token's payload with changes, keeping its key id and signature: what a tamperer can do. */
function tamper(token: string, change: (wire: Record<string, unknown>) => void): string {
  const [kid, payload, sig] = token.split('.') as [string, string, string];
  const wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(wire);
  return `${kid}.${Buffer.from(JSON.stringify(wire)).toString('base64url')}.${sig}`;
}

describe('RSVP tokens', () => {
  test('When a token is signed and verified with the same key, then the claims come back and the token id is stable', () => {
    // Act
    const token = signToken(CLAIMS, K1);
    const result = verifyToken(token, ring(K1), NOW);
    // Assert
    expect(result).toEqual({ ok: true, claims: CLAIMS, tokenId: tokenIdOf(token) });
    expect(token).toMatch(/^k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(tokenIdOf(token)).toBe(tokenIdOf(signToken(CLAIMS, K1)));
  });

  test('When the token is for one instance, then its RECURRENCE-ID is bound too', () => {
    const claims = { ...CLAIMS, recurrenceId: '2026-03-17T08:00:00.000Z' };

    const result = verifyToken(signToken(claims, K1), ring(K1), NOW);

    expect(result.ok && result.claims.recurrenceId).toBe('2026-03-17T08:00:00.000Z');
  });

  test.each([
    ['the attendee (answering for someone else)', (w: Record<string, unknown>) => void (w['a'] = 'carl@partner.example')],
    ['the answer', (w: Record<string, unknown>) => void (w['p'] = 'DECLINED')],
    ['the SEQUENCE', (w: Record<string, unknown>) => void (w['s'] = 3)],
    ['the expiry', (w: Record<string, unknown>) => void (w['e'] = 9_999_999_999)],
    ['the UID', (w: Record<string, unknown>) => void (w['u'] = 'other@example.org')],
    ['the organizer', (w: Record<string, unknown>) => void (w['o'] = 'mallory@example.org')],
    ['the instance', (w: Record<string, unknown>) => void (w['r'] = '2026-03-17T08:00:00.000Z')],
  ])('When %s is altered, then the token is refused as forged', (_what, change) => {
    const token = tamper(signToken(CLAIMS, K1), change);

    expect(verifyToken(token, ring(K1), NOW)).toEqual({ ok: false, reason: 'FORGED' });
  });

  test('When the payload of one attendee\'s token is joined to the signature of another\'s, then it is refused', () => {
    // Arrange
    const lenny = signToken(CLAIMS, K1).split('.');
    const carl = signToken({ ...CLAIMS, attendee: 'carl@partner.example' }, K1).split('.');
    // Act
    const result = verifyToken(`${carl[0]}.${carl[1]}.${lenny[2]}`, ring(K1), NOW);
    // Assert
    expect(result).toEqual({ ok: false, reason: 'FORGED' });
  });

  test('When a token was signed with another secret under the same key id, then it is refused as forged', () => {
    const token = signToken(CLAIMS, key('k1', 'somebody else\'s secret'));

    expect(verifyToken(token, ring(K1), NOW)).toEqual({ ok: false, reason: 'FORGED' });
  });

  test('When a token names a key id the ring does not hold, then it is refused', () => {
    expect(verifyToken(signToken(CLAIMS, key('k9', 'x')), ring(K1), NOW)).toEqual({ ok: false, reason: 'UNKNOWN_KEY' });
  });

  test('When the keys are rotated, then the new key signs and tokens of the old one still verify until it is dropped', () => {
    // Arrange
    const k2 = key('k2', 'second secret');
    const old = signToken(CLAIMS, K1);
    const rotated = ring(k2, K1);
    // Act
    const fresh = signToken(CLAIMS, rotated.signing);
    // Assert
    expect([verifyToken(old, rotated, NOW).ok, verifyToken(fresh, rotated, NOW).ok, fresh.startsWith('k2.')]).toEqual([true, true, true]);
    expect(verifyToken(old, ring(k2), NOW)).toEqual({ ok: false, reason: 'UNKNOWN_KEY' });
  });

  test('When the expiry has passed, then the token is refused as expired (after its signature was checked)', () => {
    const token = signToken({ ...CLAIMS, expiresAt: NOW / 1000 }, K1);

    expect(verifyToken(token, ring(K1), NOW)).toEqual({ ok: false, reason: 'EXPIRED', claims: { ...CLAIMS, expiresAt: NOW / 1000 } });
    expect(verifyToken(token, ring(K1), NOW - 1000).ok).toBe(true);
  });

  test.each([
    ['empty', ''],
    ['two parts', 'k1.abc'],
    ['non-base64url characters', 'k1.a+b.c/d'],
    ['over the length bound', `k1.${'a'.repeat(3000)}.abc`],
  ])('When the token is %s, then it is refused as malformed', (_what, token) => {
    expect(verifyToken(token, ring(K1), NOW)).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  test('When a correctly signed payload is not a token of this format, then it is refused as malformed, not half-read', () => {
    // Arrange: sign arbitrary JSON with the real key, as a leaked key's holder or a future format might.
    const payload = Buffer.from(JSON.stringify({ v: 2, a: 'x' })).toString('base64url');
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const sig = createHmac('sha256', K1.secret).update(`k1.${payload}`).digest().subarray(0, 16).toString('base64url');
    // Act
    const result = verifyToken(`k1.${payload}.${sig}`, ring(K1), NOW);
    // Assert
    expect(result).toEqual({ ok: false, reason: 'MALFORMED' });
  });
});
