// Any delivery order converges (issue 9, "Tests that must exist"): the stored copy is a function
// of the set of messages applied, not of their order — checked exhaustively for the four
// messages and by fast-check for random series with overrides, replies and instance cancels.
import fc from 'fast-check';
import { applyMessage, toICalendar, type Meeting } from '../src/index';
import { att, cal, ctxFor, ev, HOMER, LENNY, MARGE, parse, seed, type Given } from './itip-table.support';

function applyAll(owner: 'homer' | 'marge', start: Meeting | undefined, messages: Given[]): Meeting | undefined {
  let stored = start;
  messages.forEach((g, i) => {
    const [ics, sender] = typeof g === 'string' ? [g, [MARGE]] : g;
    const result = applyMessage(stored, parse(ics, `mail-${i}-${ics.length}`), ctxFor(owner, sender));
    stored = result.next;
  });
  return stored;
}

/** Every state field but mail ids (which name the delivery, not the content). */
const canonical = (m: Meeting | undefined): string =>
  JSON.stringify(m, (k, v: unknown) => {
    if (k === 'mailId') return undefined;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
  });

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const REQ0 = cal('REQUEST', ev({ seq: 0, stamp: '20260101T100000Z' }));
const REQ1 = cal('REQUEST', ev({ seq: 1, stamp: '20260102T100000Z', start: '20260302T140000' }));
const REPLY1: Given = [cal('REPLY', ev({ seq: 1, stamp: '20260103T100000Z', start: null, rrule: null, organizer: null, attendees: [att(LENNY, 'ACCEPTED')] })), [LENNY]];
const CANCEL2 = cal('CANCEL', ev({ seq: 2, stamp: '20260104T100000Z', start: null, extra: ['STATUS:CANCELLED'] }));
const FOUR: Given[] = [REQ0, REQ1, REPLY1, CANCEL2];

describe('When the same four messages arrive in any of the 24 orders', () => {
  test.each([
    ['an attendee\'s copy (nothing stored yet)', 'homer', (): Meeting | undefined => undefined],
    ['the organizer\'s copy (imported at SEQUENCE 0)', 'marge', (): Meeting | undefined => seed('marge', [REQ0])],
  ] as const)('then %s ends in one state', (_what, owner, start) => {
    const orders = permutations(FOUR);
    expect(orders).toHaveLength(24);
    const states = orders.map((order) => applyAll(owner, start(), order));
    const distinct = new Set(states.map(canonical));
    expect(distinct.size).toBe(1);
    expect(states[0]!.status).toBe('cancelled');
    expect(toICalendar(states[0]!)).toContain('DTSTART;TZID=Europe/Berlin:20260302T140000');
  });

  test('then a REPLY applied before the cancel is voided by it, as if it had come after', () => {
    const state = applyAll('marge', seed('marge', [REQ0]), FOUR)!;
    expect(state.master!.attendees.find((a) => a.address === LENNY)!.answer).toBeUndefined();
  });
});

const RIDS = ['20260309T090000', '20260316T090000', '20260323T090000'];
const stamp = (n: number): string => `202601${String(10 + (n % 20)).padStart(2, '0')}T${String(n % 24).padStart(2, '0')}0000Z`;

const organizerMessage = fc.oneof(
  fc.record({ kind: fc.constant('series' as const), seq: fc.integer({ min: 0, max: 3 }), n: fc.nat(400), hour: fc.integer({ min: 8, max: 17 }) }),
  fc.record({ kind: fc.constant('override' as const), seq: fc.integer({ min: 0, max: 3 }), n: fc.nat(400), rid: fc.constantFrom(...RIDS), hour: fc.integer({ min: 8, max: 17 }) }),
  fc.record({ kind: fc.constant('cancel-instance' as const), seq: fc.integer({ min: 0, max: 3 }), n: fc.nat(400), rid: fc.constantFrom(...RIDS) }),
  fc.record({ kind: fc.constant('cancel' as const), seq: fc.integer({ min: 0, max: 4 }), n: fc.nat(400) }),
  fc.record({ kind: fc.constant('reply' as const), seq: fc.integer({ min: 0, max: 3 }), n: fc.nat(400), rid: fc.constantFrom('', ...RIDS), partstat: fc.constantFrom('ACCEPTED', 'DECLINED', 'TENTATIVE') }),
);
type Generated = typeof organizerMessage extends fc.Arbitrary<infer T> ? T : never;

function toGiven(m: Generated): Given {
  const rid = 'rid' in m && m.rid ? `RECURRENCE-ID;TZID=Europe/Berlin:${m.rid}` : undefined;
  const hour = 'hour' in m ? `T${String(m.hour).padStart(2, '0')}0000` : '';
  switch (m.kind) {
    case 'series': return cal('REQUEST', ev({ seq: m.seq, stamp: stamp(m.n), start: `20260302${hour}` }));
    case 'override': return cal('REQUEST', ev({ seq: m.seq, stamp: stamp(m.n), rid, start: `${m.rid.slice(0, 8)}${hour}` }));
    case 'cancel-instance': return cal('CANCEL', ev({ seq: m.seq, stamp: stamp(m.n), rid, start: null }));
    case 'cancel': return cal('CANCEL', ev({ seq: m.seq, stamp: stamp(m.n), start: null, extra: ['STATUS:CANCELLED'] }));
    case 'reply': return [cal('REPLY', ev({ seq: m.seq, stamp: stamp(m.n), rid, start: null, rrule: null, organizer: null, attendees: [att(LENNY, m.partstat)] })), [LENNY]];
  }
}

describe('When random series messages (overrides, instance cancels, replies) arrive in random orders', () => {
  test.each([
    ['an attendee\'s copy', 'homer', (): Meeting | undefined => undefined],
    ['the organizer\'s copy', 'marge', (): Meeting | undefined => seed('marge', [cal('REQUEST', ev({ seq: 0, stamp: '20260101T000000Z' }))])],
  ] as const)('then %s converges to one state', (_what, owner, start) => {
    fc.assert(
      fc.property(fc.array(organizerMessage, { minLength: 1, maxLength: 7 }), fc.array(fc.nat(), { minLength: 7, maxLength: 7 }), (generated, keys) => {
        // Distinct DTSTAMPs: two different messages with one version are a sender bug, not an order question.
        const unique = generated.filter((m, i) => generated.findIndex((o) => o.n === m.n) === i);
        const messages = unique.map(toGiven);
        const shuffled = messages.map((m, i) => ({ m, k: keys[i]! })).sort((a, b) => a.k - b.k).map((x) => x.m);
        expect(canonical(applyAll(owner, start(), shuffled))).toBe(canonical(applyAll(owner, start(), messages)));
      }),
      { numRuns: 150, seed: 9 },
    );
  });

  test('then applying the same message twice changes nothing (nextcloud/server#17915)', () => {
    const once = applyAll('homer', undefined, [REQ0, REQ1]);
    const twice = applyMessage(once, parse(REQ1, 'mail-again'), ctxFor('homer', [MARGE]));
    expect(twice.changed).toBe(false);
    expect(twice.decisions.map((d) => d.code)).toEqual(['DUPLICATE']);
    expect(twice.next).toBe(once);
    expect(HOMER).toBe('homer@example.org');
  });
});
