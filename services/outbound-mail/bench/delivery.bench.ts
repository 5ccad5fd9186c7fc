import { eventsV1 } from '@inviteflow/proto-gen';
import { writeBenchReport } from '@inviteflow/testing';
import { smtpTransport } from '../src/delivery/smtp.transport';
import { command, OPTIONS } from '../src/render/render.fixture';
import { renderOutboundMail } from '../src/render/render-mail';
import { startDeliveryHarness, type DeliveryHarness } from '../test/delivery.harness';

// `./dev bench outbound`. What one outbound mail costs: rendering alone (ical-generator calendar,
// templates, MIME), then the whole path per command (record the request and its delivery, claim,
// render, hand to a real SMTP server on loopback over nodemailer's pool, record "sent", publish
// mail.sent.v1), one at a time for latency and BENCH_OUTBOUND_CONCURRENCY at once for throughput.
// MongoDB: the run's (the stand-in unless MONGO_URL names a real one); NATS: a server of its own.
const RENDER_N = Number(process.env['BENCH_OUTBOUND_RENDER'] ?? 1000);
const DELIVER_N = Number(process.env['BENCH_OUTBOUND_MAILS'] ?? 500);
const CONCURRENCY = Number(process.env['BENCH_OUTBOUND_CONCURRENCY'] ?? 8);

type Stats = { n: number; p50: number; p90: number; p99: number; mean: number };

function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return { n: s.length, p50: r(at(50)), p90: r(at(90)), p99: r(at(99)), mean: r(s.reduce((a, b) => a + b, 0) / s.length) };
}

const perSecond = (n: number, ms: number): number => Math.round((n / ms) * 1000 * 10) / 10;

describe('outbound-mail benchmark', () => {
  let harness: DeliveryHarness;
  const report: Record<string, unknown> = { when: new Date().toISOString(), mongo: 'the run\'s (the stand-in unless MONGO_URL was set)', relay: 'smtp-server on loopback, nodemailer pool of 5' };

  beforeAll(async () => {
    harness = await startDeliveryHarness('outbound-bench', { env: { SMTP_POOL_SIZE: '5', DELIVERY_POLL_MS: '600000' }, render: renderOutboundMail, renderOptions: OPTIONS });
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
    writeBenchReport('outbound-bench', report);
  });

  test('rendering alone: a weekly series with an override, REQUEST to one external guest', async () => {
    for (let i = 0; i < 50; i++) await renderOutboundMail(command({ requestId: `warm-${i}` }), 'guest@partner.example', OPTIONS);
    const times: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < RENDER_N; i++) {
      const t = performance.now();
      await renderOutboundMail(command({ requestId: `render-${i}` }), 'guest@partner.example', OPTIONS);
      times.push(performance.now() - t);
    }
    const total = performance.now() - t0;
    report['render'] = { ms: stats(times), perSecond: perSecond(RENDER_N, total) };
    expect(times).toHaveLength(RENDER_N);
  });

  test('the SMTP hand-over alone: a pre-rendered mail over the pooled transport, one at a time', async () => {
    const transport = smtpTransport(harness.config);
    const mail = await renderOutboundMail(command({ requestId: 'smtp-only' }), 'guest@partner.example', OPTIONS);
    const times: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < DELIVER_N; i++) {
      const t = performance.now();
      await transport.send({ envelope: mail.envelope, raw: mail.raw });
      times.push(performance.now() - t);
    }
    const total = performance.now() - t0;
    transport.close();
    report['smtpOnly'] = { ms: stats(times), perSecond: perSecond(DELIVER_N, total), bytesPerMail: mail.raw.length };
    expect(times).toHaveLength(DELIVER_N);
  });

  test('render and deliver, one command at a time: per-command latency', async () => {
    const before = harness.relay.received.length;
    const times: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < DELIVER_N; i++) {
      const bytes = eventsV1.OutboundRequested.encode(command({ requestId: `serial-${i}` })).finish();
      const t = performance.now();
      await harness.handle(bytes);
      times.push(performance.now() - t);
    }
    const total = performance.now() - t0;
    report['deliverSerial'] = { ms: stats(times), perSecond: perSecond(DELIVER_N, total) };
    expect(harness.relay.received.length - before).toBe(DELIVER_N);
  });

  test(`render and deliver, ${CONCURRENCY} commands at once: throughput`, async () => {
    const before = harness.relay.received.length;
    const times: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < DELIVER_N) {
        const bytes = eventsV1.OutboundRequested.encode(command({ requestId: `parallel-${next++}` })).finish();
        const t = performance.now();
        await harness.handle(bytes);
        times.push(performance.now() - t);
      }
    }));
    const total = performance.now() - t0;
    report['deliverConcurrent'] = { concurrency: CONCURRENCY, smtpPool: 5, ms: stats(times), perSecond: perSecond(DELIVER_N, total) };
    expect(harness.relay.received.length - before).toBe(DELIVER_N);
  });
});
