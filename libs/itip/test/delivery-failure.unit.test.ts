// recordDeliveryFailures (issue 11 §5): a bounce of our invitation marks those attendees' delivery
// failed on the organizer's copy, once per address, and touches nothing else.
import { recordDeliveryFailures, type Meeting } from '../src/index';
import { att, CARL, cal, DEFAULT_ATTENDEES, ev, HOMER, LENNY, seed } from './itip-table.support';

const organizerCopy = (): Meeting => seed('marge', [cal('REQUEST', ev())])!;
const attendeeCopy = (): Meeting => seed('homer', [cal('REQUEST', ev())])!;
const unknownUser = { recipient: LENNY, status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 user unknown' };
const report = { messageId: '<req-1@inviteflow>', sequence: 0, failed: [unknownUser] };

describe('recordDeliveryFailures', () => {
  test('Given the organizer\'s copy, when an attendee\'s invitation bounced, then a DELIVERY_FAILED caution names that attendee', () => {
    const before = organizerCopy();
    const result = recordDeliveryFailures(before, { ...report, failed: [{ ...unknownUser, recipient: LENNY.toUpperCase() }] });
    expect(result.changed).toBe(true);
    expect(result.decision).toMatchObject({ code: 'APPLIED', reason: 'DELIVERY_FAILED', changes: [`DELIVERY_FAILED:${LENNY}`] });
    expect(result.next.cautions).toEqual([
      { code: 'DELIVERY_FAILED', detail: `${LENNY} — 5.1.1 smtp; 550 5.1.1 user unknown (bounce of <req-1@inviteflow>, SEQUENCE 0)` },
    ]);
    expect(result.next.master).toBe(before.master);
  });

  test('Given a report failing two attendees, when it is recorded, then one decision lists both and each has its own caution', () => {
    const withCarl = seed('marge', [cal('REQUEST', ev({ attendees: [...DEFAULT_ATTENDEES, att(CARL)] }))])!;
    const result = recordDeliveryFailures(withCarl, { ...report, failed: [unknownUser, { recipient: CARL, status: '5.2.2', diagnostic: 'smtp; 552 mailbox full' }] });
    expect(result.decision.changes).toEqual([`DELIVERY_FAILED:${LENNY}`, `DELIVERY_FAILED:${CARL}`]);
    expect(result.recipients.map((r) => [r.recipient, r.decision.code])).toEqual([[LENNY, 'APPLIED'], [CARL, 'APPLIED']]);
    expect(result.next.cautions.map((c) => c.detail.split(' ')[0])).toEqual([LENNY, CARL]);
  });

  test('Given the same bounce twice, when it is recorded again, then it is DUPLICATE and nothing changes', () => {
    const once = recordDeliveryFailures(organizerCopy(), report).next;
    const again = recordDeliveryFailures(once, report);
    expect(again).toMatchObject({ changed: false, decision: { code: 'DUPLICATE', reason: 'SAME_BOUNCE' } });
    expect(again.next).toBe(once);
  });

  test('Given an earlier bounce for the address, when a newer one arrives, then it replaces it (one caution per attendee)', () => {
    const once = recordDeliveryFailures(organizerCopy(), report).next;
    const later = recordDeliveryFailures(once, { ...report, sequence: 1, failed: [{ ...unknownUser, status: '5.2.2', diagnostic: 'smtp; 552 mailbox full' }] });
    expect(later.next.cautions).toHaveLength(1);
    expect(later.next.cautions[0]?.detail).toMatch(/5\.2\.2 smtp; 552 mailbox full .*SEQUENCE 1/);
  });

  test('Given an address that is no attendee, when a bounce names it, then it is UNSOLICITED and the copy is unchanged', () => {
    const result = recordDeliveryFailures(organizerCopy(), { ...report, failed: [{ ...unknownUser, recipient: 'stranger@example.net' }] });
    expect(result).toMatchObject({ changed: false, decision: { code: 'UNSOLICITED', reason: 'NOT_INVITED' } });
  });

  test('Given an attendee\'s copy, when a bounce is recorded on it, then it is IGNORED NOT_ORGANIZER_COPY', () => {
    const result = recordDeliveryFailures(attendeeCopy(), { ...report, failed: [{ ...unknownUser, recipient: HOMER }] });
    expect(result).toMatchObject({ changed: false, decision: { code: 'IGNORED', reason: 'NOT_ORGANIZER_COPY' } });
  });
});
