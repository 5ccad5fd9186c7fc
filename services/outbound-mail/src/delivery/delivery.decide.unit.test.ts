import { decideAfterAttempt } from './delivery.decide';

const NOW = new Date('2026-03-01T08:10:00Z');
const CREATED = new Date('2026-03-01T08:00:00Z');
const POLICY = { delaysMs: [60_000, 300_000], maxAgeMs: 86_400_000 };
const MID = '<k.r@inviteflow.test>';

describe('what an attempt does to a delivery', () => {
  test('Given an attempt, when the relay accepted it, then the delivery is sent with the relay\'s answer and awaits its event', () => {
    expect(decideAfterAttempt({ attempts: 1, createdAt: CREATED }, { kind: 'sent', messageId: MID, relayResponse: '250 Ok' }, POLICY, NOW))
      .toEqual({ state: 'sent', messageId: MID, relayResponse: '250 Ok', sentAt: NOW, updatedAt: NOW, eventPublished: false });
  });

  test('Given the first attempt, when the relay refused it temporarily, then it is deferred by the first delay with the last error', () => {
    const failure = { kind: 'temporary' as const, smtpCode: 451, reason: '451 4.7.1 later', rule: 'smtp-4xx' };
    expect(decideAfterAttempt({ attempts: 1, createdAt: CREATED }, { kind: 'smtp-failure', messageId: MID, failure }, POLICY, NOW))
      .toEqual({ state: 'deferred', nextAttemptAt: new Date(NOW.getTime() + 60_000), lastError: '451 4.7.1 later', smtpCode: 451, messageId: MID, updatedAt: NOW });
  });

  test('Given the table is exhausted, when the relay refuses temporarily again, then the delivery fails as DELIVERY_EXPIRED with the last answer', () => {
    const failure = { kind: 'temporary' as const, smtpCode: 0, reason: 'connect ECONNREFUSED', rule: 'no-reply' };
    expect(decideAfterAttempt({ attempts: 3, createdAt: CREATED }, { kind: 'smtp-failure', messageId: MID, failure }, POLICY, NOW))
      .toMatchObject({ state: 'failed', failureCode: 'DELIVERY_EXPIRED', lastError: expect.stringContaining('last: connect ECONNREFUSED'), failedAt: NOW, eventPublished: false });
  });

  test('Given any attempt, when the relay refused it permanently, then the delivery fails as SMTP_PERMANENT_FAILURE at once', () => {
    const failure = { kind: 'permanent' as const, smtpCode: 550, reason: '550 5.1.1 unknown user', rule: 'smtp-5xx' };
    expect(decideAfterAttempt({ attempts: 1, createdAt: CREATED }, { kind: 'smtp-failure', messageId: MID, failure }, POLICY, NOW))
      .toMatchObject({ state: 'failed', failureCode: 'SMTP_PERMANENT_FAILURE', smtpCode: 550, lastError: '550 5.1.1 unknown user', messageId: MID });
  });

  test('Given a command that cannot be rendered, when attempted, then the delivery fails as RENDER_FAILED', () => {
    expect(decideAfterAttempt({ attempts: 1, createdAt: CREATED }, { kind: 'render-failure', reason: 'RENDER_FAILED: no start' }, POLICY, NOW))
      .toMatchObject({ state: 'failed', failureCode: 'RENDER_FAILED', lastError: 'RENDER_FAILED: no start', smtpCode: 0 });
  });
});
