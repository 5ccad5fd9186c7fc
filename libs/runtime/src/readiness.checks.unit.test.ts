import { runChecks } from './readiness.checks';

describe('runChecks', () => {
  test('When every check passes, then the report is ok with nothing failed', async () => {
    const report = await runChecks({ nats: () => true, mongo: async () => true });

    expect(report).toEqual({ ok: true, failed: [], reasons: {} });
  });

  test('When checks return false, throw or hang, then each is named with a reason that leaks no message', async () => {
    let slowAnswered = false;

    const report = await runChecks(
      {
        nats: () => false,
        mongo: () => Promise.reject(Object.assign(new Error('auth failed for user admin:pw@db'), { code: 'ECONNREFUSED' })),
        smtp: () => {
          throw new TypeError('boom');
        },
        slow: () => new Promise<boolean>((resolve) => setTimeout(() => { slowAnswered = true; resolve(true); }, 1_000).unref()),
        fine: () => true,
      },
      50,
    );

    // The report came at the bound: the hanging check was not waited for.
    expect(slowAnswered).toBe(false);
    expect(report).toEqual({
      ok: false,
      failed: ['nats', 'mongo', 'smtp', 'slow'],
      reasons: {
        nats: 'returned false',
        mongo: 'threw ECONNREFUSED',
        smtp: 'threw TypeError',
        slow: 'timed out after 50 ms',
      },
    });
  });
});
