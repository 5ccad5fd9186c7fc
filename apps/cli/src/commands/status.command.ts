import { pipelineStatus, type PipelineStatus } from '@inviteflow/messaging';
import { appointmentV1 } from '@inviteflow/proto-gen';
import { EXIT, Output, table } from '../cli-output';
import { withNats } from './nats.session';
import { fetchSettings, markingText } from './settings.command';
import { fetchDeliveryCounts } from './outbox.deliveries';
import { DEFAULT_MAX_BACKLOG_AGE_MS, overdueConsumers, parseDuration } from './backlog.alert';

/**
 * `inviteflow status`: streams with their consumer counts, durable consumers, pending count,
 * age of the oldest pending message and dead letters, and the not-in-sync marking's progress
 * (issue 10 §4; from the appointment service, when it answers). Exit 1 when there are dead
 * letters, or when a consumer's oldest pending message is older than `--max-backlog-age`
 * (default 5 min; backlog.alert.ts), so a cron job can alert.
 */
export async function status(natsUrl: string, out: Output, appointmentGrpc?: string, outboundGrpc?: string, opts: { maxBacklogAge?: string } = {}): Promise<number> {
  const maxBacklogAgeMs = parseDuration(opts.maxBacklogAge, DEFAULT_MAX_BACKLOG_AGE_MS);
  const s = await withNats(natsUrl, ({ jsm }) => pipelineStatus(jsm));
  const overdue = overdueConsumers(s.consumers, maxBacklogAgeMs);
  const marking = appointmentGrpc ? await markingStatus(appointmentGrpc) : undefined;
  const outbound = outboundGrpc ? await fetchDeliveryCounts(outboundGrpc) : undefined;
  const human = [
    table(['stream', 'messages', 'bytes', 'first', 'last', 'consumers'],
      s.streams.map((x) => [x.name, String(x.messages), String(x.bytes), String(x.firstSeq), String(x.lastSeq), String(x.consumerCount)])),
    ...objectStoreWarnings(s),
    '',
    table(['consumer', 'pending', 'ack pending', 'redelivered', 'oldest pending'],
      s.consumers.map((c) => [`${c.stream}/${c.name}`, String(c.numPending), String(c.numAckPending), String(c.numRedelivered), age(c.oldestPendingAgeMs)])),
    '',
    `dead letters: ${s.deadLetters ?? 'no DLQ stream yet'}`,
    ...overdue.map((c) => `ALERT: ${c.stream}/${c.name} has had a message pending for ${age(c.oldestPendingAgeMs)} (over ${age(maxBacklogAgeMs)}): is its service running?`),
    ...(marking ? [marking.line] : []),
    ...(outbound ? [outboundLine(outbound)] : []),
  ].join('\n');
  const backlogAlert = { maxBacklogAgeMs, overdueConsumers: overdue.map((c) => `${c.stream}/${c.name}`) };
  out.result({ ...s, backlogAlert, ...(marking ? { notInSyncMarking: marking.json } : {}), ...(outbound ? { outboundMail: outbound } : {}) }, human);
  return (s.deadLetters ?? 0) > 0 || overdue.length > 0 ? EXIT.partial : EXIT.ok;
}

/**
 * Raw-mail reads keep no consumer (libs/messaging raw-mail.reader.ts), so an object-store
 * stream with consumers is worth a line: a growing count is a leak, and nats-server refuses
 * the 1 001st consumer of a stream by default.
 */
function objectStoreWarnings(s: PipelineStatus): string[] {
  return s.streams
    .filter((x) => x.name.startsWith('OBJ_') && x.consumerCount > 0)
    .map((x) => `warning: ${x.name} has ${x.consumerCount} consumer(s); object-store reads should leave none (nats-server allows 1000 per stream)`);
}

function age(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** The marking's progress line; the rest of `status` does not depend on the appointment service answering. */
async function markingStatus(addr: string): Promise<{ line: string; json: unknown }> {
  try {
    const m = (await fetchSettings(addr)).marking;
    return { line: markingText(m), json: m ? appointmentV1.NotInSyncMarking.toJSON(m) : null };
  } catch (err) {
    return { line: `not-in-sync marking: unknown (${(err as Error).message})`, json: null };
  }
}

/** Outbound mail per delivery state (issue 11 §6); the rest of `status` does not depend on outbound-mail answering. */
function outboundLine(o: Awaited<ReturnType<typeof fetchDeliveryCounts>>): string {
  if ('error' in o) return `outbound mail: unknown (${o.error})`;
  const c = (state: string): number => o.counts[state] ?? 0;
  return `outbound mail: ${c('queued')} queued, ${c('sending')} sending, ${c('deferred')} deferred, ${c('sent')} sent, ${c('failed')} failed${o.deliveryEnabled ? '' : ' (no SMTP relay configured: delivery off)'}`;
}
