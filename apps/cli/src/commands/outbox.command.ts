// `inviteflow outbox [--uid U]`: the outbound commands produced (mail.outbound-requested.v1), one
// mail to one recipient each, whether outbound-mail has taken them yet, and what became of each
// mail: queued, sending, deferred (with the next attempt), sent (with the relay's answer) or failed
// (with the reason), from outbound-mail's delivery records (OutboundService.ListDeliveries).
//
// Read from the MAIL stream itself, not from a view the appointment service keeps: the stream is
// where a command exists once it is published, so the list cannot disagree with what outbound-mail
// will consume; it needs no extra writes on the command path; and the outbound-mail durable's ack
// floor says, per stream sequence, which commands that service has taken. Commands saved with a
// copy but not yet published (NATS was down) are not in it until the periodic re-check publishes
// them (docs/scheduling.md, "CRM API"). Cost: one pass over the subject (bounded by --limit).
import { CONSUMERS, STREAMS, SUBJECTS } from '@inviteflow/contracts';
import { JetStreamApiError } from '@nats-io/jetstream';
import { eventsV1 } from '@inviteflow/proto-gen';
import { cliError, EXIT, Output, table } from '../cli-output';
import { withNats } from './nats.session';
import { scanStream, type ScanStats } from './stream.scan';
import { deliveryDetail, fetchDeliveries, type DeliveryView } from './outbox.deliveries';

export interface OutboxEntry {
  seq: number;
  storedAt: string;
  /** waiting: outbound-mail has not taken it; taken: it has (recorded, awaiting delivery). */
  state: 'waiting' | 'taken';
  key: string;
  method: string;
  uid: string;
  sequence: number;
  recurrenceId: string;
  recipients: string[];
  recipientLocale: string;
  recipientTimeZone: string;
  summary: string;
  start: string;
  reason: string;
  auditMailId: string;
  /** outbound-mail's delivery of this command to each recipient, when it has one. */
  deliveries: DeliveryView[];
}

const DEFAULT_LIMIT = 10_000;

export async function outbox(opts: { uid?: string; limit?: string }, natsUrl: string, out: Output, outboundGrpc?: string): Promise<number> {
  const limit = opts.limit ? Number(opts.limit) : DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw cliError('CLI_USAGE', `--limit must be a positive integer, got ${opts.limit}`);
  const { entries, scan } = await withNats(natsUrl, async ({ js, jsm }) => {
    const floor = await jsm.consumers.info(STREAMS.mail.name, CONSUMERS.outboundMail.durable).then((i) => i.ack_floor.stream_seq, (err: unknown) => {
      if (err instanceof JetStreamApiError) return 0;
      throw err;
    });
    const found: OutboxEntry[] = [];
    const stats = await scanStream(js, { stream: STREAMS.mail.name, subjects: [SUBJECTS.mailOutboundRequestedV1], limit }, (m) => {
      const r = eventsV1.OutboundRequested.decode(m.data);
      if (opts.uid && r.uid !== opts.uid) return;
      found.push({
        seq: m.seq, storedAt: m.time.toISOString(), state: m.seq <= floor ? 'taken' : 'waiting', key: r.requestId, method: r.method, uid: r.uid, sequence: r.sequence,
        recurrenceId: r.recurrenceId, recipients: r.recipients, recipientLocale: r.recipientLocale, recipientTimeZone: r.recipientTimeZone,
        summary: r.summary, start: r.start?.toISOString() ?? '', reason: r.reason, auditMailId: r.auditMailId, deliveries: [],
      });
    });
    return { entries: found, scan: stats };
  });
  const delivered = outboundGrpc ? await fetchDeliveries(outboundGrpc, opts.uid, limit) : { error: 'no outbound-mail address' };
  const merged = 'error' in delivered ? { unmatched: [], note: `delivery state unknown: ${delivered.error}` } : mergeDeliveries(entries, delivered.deliveries);
  out.result({ entries, scan, deliveriesOnly: merged.unmatched, ...(merged.note ? { note: merged.note } : {}) }, outboxText(entries, scan, merged));
  return EXIT.ok;
}

/**
 * Puts each delivery on its command; those whose command the scan did not see (aged out of the
 * stream, or past --limit) are returned apart, so no mail's state is hidden.
 */
export function mergeDeliveries(entries: OutboxEntry[], deliveries: DeliveryView[]): { unmatched: DeliveryView[]; note?: string } {
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const unmatched: DeliveryView[] = [];
  for (const d of deliveries) {
    const entry = byKey.get(d.requestId);
    if (entry) entry.deliveries.push(d);
    else unmatched.push(d);
  }
  return { unmatched };
}

export function outboxText(entries: OutboxEntry[], scan: ScanStats, merged: { unmatched: DeliveryView[]; note?: string } = { unmatched: [] }): string {
  const rows = entries.flatMap((e) => e.recipients.map((to) => {
    const d = e.deliveries.find((x) => x.recipient === to);
    return [String(e.seq), d?.state ?? e.state, e.method, to, String(e.sequence), e.recurrenceId || '-', e.summary, e.uid, d ? deliveryDetail(d) : '', e.key];
  }));
  const orphans = merged.unmatched.map((d) => ['-', d.state, d.method, d.recipient, String(d.sequence), d.recurrenceId || '-', '', d.uid, deliveryDetail(d), d.requestId]);
  const notes = [
    ...(scan.truncated ? [`(stopped after ${scan.scanned} of ${scan.matching} commands: raise --limit)`] : []),
    ...(merged.note ? [`(${merged.note})`] : []),
  ];
  if (rows.length + orphans.length === 0) return [`no outbound commands${scan.missingStream ? ' (no MAIL stream yet)' : ''}`, ...notes].join('\n');
  return [table(['seq', 'state', 'method', 'to', 'SEQUENCE', 'instance', 'summary', 'uid', 'delivery', 'key'], [...rows, ...orphans]), ...notes].join('\n');
}
