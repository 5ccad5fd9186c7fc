import { compareRevision } from './itip-ordering';

const at = (iso: string): Date => new Date(iso);

describe('compareRevision (RFC 5546 §2.1.5)', () => {
  test.each([
    [{ sequence: 1, dtstamp: at('2026-01-01T10:00:00Z') }, { sequence: 2, dtstamp: at('2026-01-01T09:00:00Z') }, 'newer'],
    [{ sequence: 2, dtstamp: at('2026-01-01T10:00:00Z') }, { sequence: 1, dtstamp: at('2026-01-02T10:00:00Z') }, 'stale'],
    [{ sequence: 1, dtstamp: at('2026-01-01T10:00:00Z') }, { sequence: 1, dtstamp: at('2026-01-01T10:00:01Z') }, 'newer'],
    [{ sequence: 1, dtstamp: at('2026-01-01T10:00:01Z') }, { sequence: 1, dtstamp: at('2026-01-01T10:00:00Z') }, 'stale'],
    [{ sequence: 1, dtstamp: at('2026-01-01T10:00:00Z') }, { sequence: 1, dtstamp: at('2026-01-01T10:00:00Z') }, 'same'],
    [{ sequence: 0, dtstamp: undefined }, { sequence: 0, dtstamp: at('2026-01-01T10:00:00Z') }, 'newer'],
  ])('When stored is %j and incoming is %j, then the incoming one is %s', (stored, incoming, verdict) => {
    expect(compareRevision(stored, incoming)).toBe(verdict);
  });
});
