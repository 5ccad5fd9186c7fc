import { mergeDeliveries, outboxText, type OutboxEntry } from './outbox.command';
import type { DeliveryView } from './outbox.deliveries';
import type { ScanStats } from './stream.scan';

const SCAN: ScanStats = { stream: 'MAIL', subjects: ['mail.outbound-requested.v1'], from: null, matching: 2, scanned: 2, truncated: false, missingStream: false };

function entry(key: string, to: string, state: OutboxEntry['state'] = 'taken'): OutboxEntry {
  return {
    seq: key === 'k1' ? 1 : 2, storedAt: '2026-03-01T08:00:00.000Z', state, key, method: 'REQUEST', uid: `uid-${key}`, sequence: 1, recurrenceId: '', recipients: [to],
    recipientLocale: '', recipientTimeZone: '', summary: 'Budget', start: '', reason: 'NEW', auditMailId: '', deliveries: [],
  };
}

function delivery(requestId: string, recipient: string, over: Partial<DeliveryView>): DeliveryView {
  return {
    id: `${requestId}:${recipient}`, requestId, recipient, state: 'queued', attempts: 0, nextAttemptAt: null, messageId: '', relayResponse: '', lastError: '',
    failureCode: '', smtpCode: 0, uid: `uid-${requestId}`, method: 'REQUEST', sequence: 1, recurrenceId: '', ...over,
  };
}

describe('the outbox with each mail\'s delivery state', () => {
  test('Given a deferred, a sent and a failed mail, when the outbox is shown, then each row says its state with the next attempt, the relay\'s answer or the reason', () => {
    // Arrange
    const entries = [entry('k1', 'a@x.test'), entry('k2', 'b@x.test'), entry('k3', 'c@x.test', 'waiting')];
    const deliveries = [
      delivery('k1', 'a@x.test', { state: 'deferred', attempts: 1, nextAttemptAt: '2026-03-01T08:05:00.000Z', lastError: '451 4.7.1 greylisted' }),
      delivery('k2', 'b@x.test', { state: 'sent', attempts: 2, relayResponse: '250 2.0.0 Ok: queued as 7F', messageId: '<k2@i.test>' }),
      delivery('gone', 'd@x.test', { state: 'failed', attempts: 1, failureCode: 'SMTP_PERMANENT_FAILURE', lastError: '550 5.1.1 unknown user' }),
    ];
    // Act
    const merged = mergeDeliveries(entries, deliveries);
    const text = outboxText(entries, SCAN, merged);
    // Assert
    expect(entries[0]!.deliveries).toHaveLength(1);
    expect(merged.unmatched.map((d) => d.requestId)).toEqual(['gone']);
    const line = (needle: string): string => text.split('\n').find((l) => l.includes(needle)) ?? '';
    expect(line('a@x.test')).toMatch(/deferred .*next attempt 2026-03-01T08:05:00.000Z \(attempt 1 got: 451 4.7.1 greylisted\)/);
    expect(line('b@x.test')).toMatch(/sent .*250 2.0.0 Ok: queued as 7F \(attempt 2, <k2@i.test>\)/);
    expect(line('c@x.test')).toMatch(/waiting/);
    expect(line('d@x.test')).toMatch(/failed .*SMTP_PERMANENT_FAILURE: 550 5.1.1 unknown user/);
  });

  test('When outbound-mail does not answer, then the commands are still listed with a note saying the delivery state is unknown', () => {
    const text = outboxText([entry('k1', 'a@x.test')], SCAN, { unmatched: [], note: 'delivery state unknown: outbound-mail at 127.0.0.1:50055 did not answer' });
    expect(text).toContain('a@x.test');
    expect(text).toContain('(delivery state unknown: outbound-mail at 127.0.0.1:50055 did not answer)');
  });
});
