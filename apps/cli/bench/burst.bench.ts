import { jetstreamManager } from '@nats-io/jetstream';
import { createTransport } from 'nodemailer';
import { RAW_MAIL_BUCKET, STREAMS, SUBJECTS } from '@inviteflow/contracts';
import { eventsV1 } from '@inviteflow/proto-gen';
import { buildImipMessage, uniqueSuffix, writeBenchReport } from '@inviteflow/testing';
import { eventually, listDiary, upsertAssociate } from '../test/cluster.harness';
import { useBenchCluster } from './bench-cluster';

// Issue 8's stall, as a measurement: many distinct invitations sent flat out over several
// SMTP connections into the whole cluster, then wait until every one is applied. Before the
// raw-mail read fix, mail 1 001 onwards waited ~5 minutes for leaked consumers to expire.
// BENCH_BURST (default 3 000) invitations over BENCH_BURST_CONNECTIONS (default 8).
const COUNT = Number(process.env['BENCH_BURST'] ?? 3000);
const CONNECTIONS = Number(process.env['BENCH_BURST_CONNECTIONS'] ?? 8);
const APPLY_BOUND_MS = 10 * 60_000;

describe('burst of distinct invitations', () => {
  const fx = useBenchCluster('burst.test');

  test(`${COUNT} invitations flat out over ${CONNECTIONS} SMTP connections are all applied`, async () => {
    await upsertAssociate(fx.t.identity, { name: 'Burst', primaryAddress: 'burst@burst.test' });
    const applied = new Set<string>();
    let lastApplied = 0;
    const sub = fx.nc.subscribe(SUBJECTS.appointmentScheduledV1, {
      callback: (_err, msg) => {
        applied.add(eventsV1.AppointmentScheduled.decode(msg.data).uid);
        lastApplied = performance.now();
      },
    });
    const run = uniqueSuffix();
    const smtp = createTransport({ host: '127.0.0.1', port: Number(fx.t.cluster.endpoints.smtp.split(':')[1]), secure: false, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity });

    // Act: send everything, as fast as SMTP accepts it
    const started = performance.now();
    let next = 0;
    const sender = async (): Promise<void> => {
      while (next < COUNT) {
        const i = next++;
        const raw = buildImipMessage({ uid: `burst-${run}-${i}`, organizer: 'org@partner.test', attendees: ['burst@burst.test'], start: new Date(Date.UTC(2026, 6, 1, 9) + i * 3_600_000), durationMinutes: 30 });
        await smtp.sendMail({ envelope: { from: 'org@partner.test', to: ['burst@burst.test'] }, raw });
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, sender));
    const acceptedAt = performance.now();
    smtp.close();
    await eventually(`all ${COUNT} applied`, APPLY_BOUND_MS, async () => (applied.size >= COUNT ? true : undefined));
    sub.unsubscribe();

    // Assert and report
    const jsm = await jetstreamManager(fx.nc);
    const rawMailConsumers = (await jsm.streams.info(`OBJ_${RAW_MAIL_BUCKET}`)).state.consumer_count;
    const mailConsumers = (await jsm.streams.info(STREAMS.mail.name)).state.consumer_count;
    const diary = await listDiary(fx.t.appointment(), 'burst@burst.test');
    const seconds = (ms: number): number => Math.round(ms) / 1000;
    const result = {
      when: new Date().toISOString(), invitations: COUNT, smtpConnections: CONNECTIONS,
      acceptedPerSecond: Math.round(COUNT / ((acceptedAt - started) / 1000)),
      appliedPerSecond: Math.round(COUNT / ((lastApplied - started) / 1000)),
      sendSeconds: seconds(acceptedAt - started), lastAppliedAfterSeconds: seconds(lastApplied - started),
      diaryEntries: diary.entries.length,
      consumersAfter: { [`OBJ_${RAW_MAIL_BUCKET}`]: rawMailConsumers, [STREAMS.mail.name]: mailConsumers },
    };
    writeBenchReport('bench-burst', result);
    expect(diary.entries.length).toBe(COUNT);
    expect(rawMailConsumers).toBe(0);
  });
});
