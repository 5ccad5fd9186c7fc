import { readFileSync } from 'node:fs';
import { SUBJECTS } from '@inviteflow/contracts';
import { eventsV1 } from '@inviteflow/proto-gen';
import { buildImipMessage, uniqueSuffix, writeBenchReport } from '@inviteflow/testing';
import { eventually, listDiary, upsertAssociate } from '../test/cluster.harness';
import { useBenchCluster } from './bench-cluster';

// SMTP 250 → appointment readable, over the whole cluster (five processes, real NATS, the
// MongoDB stand-in). "Readable" is when appointment.scheduled.v1 is seen: it is published
// after the write is acknowledged; the end is cross-checked through the gRPC diary.
const COUNT = Number(process.env['BENCH_INVITATIONS'] ?? 200);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(ms: number[]): Record<string, number> {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 10) / 10;
  return { count: s.length, p50: r(percentile(s, 50)), p90: r(percentile(s, 90)), p99: r(percentile(s, 99)), max: r(s[s.length - 1]!) };
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

async function scrape(url: string, metric: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`http://${url}/metrics`)).text();
  const value = (suffix: string): number => Number(new RegExp(`^${metric}_${suffix}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { sum: value('sum'), count: value('count') };
}

describe('end-to-end latency', () => {
  const fx = useBenchCluster('bench.test');

  test(`SMTP 250 → appointment readable, ${COUNT} invitations`, async () => {
    await upsertAssociate(fx.t.identity, { name: 'Bench', primaryAddress: 'bench@bench.test' });
    await new Promise((r) => setTimeout(r, 2000));
    const idle = Object.fromEntries([...fx.t.cluster.processes].map(([name, p]) => [name, Math.round(rssKb(p.child.pid!) / 1024)]));

    const seen = new Map<string, number>();
    const sub = fx.nc.subscribe(SUBJECTS.appointmentScheduledV1, {
      callback: (_err, msg) => void seen.set(eventsV1.AppointmentScheduled.decode(msg.data).uid, performance.now()),
    });
    const run = uniqueSuffix();
    const latencies: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      const uid = `bench-${run}-${i}`;
      const raw = buildImipMessage({ uid, organizer: 'org@partner.test', attendees: ['bench@bench.test'], start: new Date(Date.UTC(2026, 6, 1, 9)), durationMinutes: 30 });
      await fx.t.sendMail(raw, { from: 'org@partner.test', to: ['bench@bench.test'] });
      const accepted = performance.now();
      const done = await eventually(`appointment ${uid}`, 10_000, async () => seen.get(uid));
      latencies.push(done - accepted);
    }
    sub.unsubscribe();
    const diary = await listDiary(fx.t.appointment(), 'bench@bench.test');
    expect(diary.entries).toHaveLength(COUNT);

    const rt = await scrape(fx.t.cluster.endpoints.health.appointment!, 'inviteflow_appointment_db_round_trips_per_message');
    const result = {
      when: new Date().toISOString(), invitations: COUNT, latencyMs: summary(latencies),
      appointmentDbRoundTripsPerMessage: rt.count > 0 ? rt.sum / rt.count : null,
      idleRssMiB: idle,
    };
    writeBenchReport('bench-e2e-latency', result);
    expect(latencies).toHaveLength(COUNT);
  });
});
