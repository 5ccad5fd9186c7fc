import { appointmentV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import type { AppError } from '@inviteflow/runtime';
import { cliError, EXIT, Output } from '../cli-output';
import { appointmentClient, CLI_DEADLINE_MS, cliErrorFromGrpc } from '../grpc-clients';
import { MailExplanation, explanationJson, timeline } from './explain.timeline';
import { findReceived, findTrail } from './mail.streams';
import { withNats } from './nats.session';
import type { ScanStats } from './stream.scan';

export interface ExplainOptions {
  /** Messages read per subject scan at most (`--scan-limit`, as typed). */
  scanLimit?: string;
}

/** About 3 s per subject on loopback (~90 000 messages of ~0.9 KB read and decoded per second). */
export const DEFAULT_SCAN_LIMIT = 250_000;

/**
 * `inviteflow explain <mail id | Message-ID>`: what happened to a delivered message, end to
 * end: received (MAIL), parsed / ignored / rejected (MAIL, INVITE), what the appointment
 * service did per UID (its ExplainMail RPC) and any dead letters (DLQ). Exit 4 when no such
 * mail is known; 3 when the appointment service did not answer (the stream part is printed).
 */
export async function explain(query: string, endpoints: { natsUrl: string; appointmentGrpc: string }, opts: ExplainOptions, out: Output): Promise<number> {
  const scanLimit = opts.scanLimit === undefined ? DEFAULT_SCAN_LIMIT : Number(opts.scanLimit);
  if (!Number.isSafeInteger(scanLimit) || scanLimit < 1) throw cliError('CLI_USAGE', '--scan-limit must be a positive integer');
  const explanations = await withNats(endpoints.natsUrl, async ({ nc, js }) => {
    const found = await findReceived(nc, js, query, scanLimit);
    const result: MailExplanation[] = [];
    for (const received of found.mails) {
      const trail = await findTrail(js, received.event.mailId, received.storedAt, scanLimit);
      // With every invite.parsed event in hand the RPC reads outcomes by _id; after a truncated
      // scan it must look them up by mail id instead, or it would miss the UIDs not seen.
      const uids = trail.parsedComplete ? trail.parsed.map((p) => p.event.uid) : [];
      // Nothing parsed (ignored, rejected, not yet parsed): nothing can have reached the service,
      // except a bounce (DSN): it marks the meeting its returned invitation names (mail.bounced.v1).
      const bounce = trail.outcomes.some((o) => o.record.event.reasonCode === 'DELIVERY_STATUS_NOTIFICATION');
      const appointment = trail.parsedComplete && uids.length === 0 && !bounce
        ? appointmentV1.ExplainMailResponse.fromPartial({ mailId: received.event.mailId })
        : await askAppointment(endpoints.appointmentGrpc, received.event.mailId, uids);
      result.push({ mailId: received.event.mailId, received, trail, appointment });
    }
    return { found: result, receivedScans: found.scans };
  });
  if (explanations.found.length === 0) return explainUnreceived(query, endpoints.appointmentGrpc, explanations.receivedScans, out);
  out.result(
    { query, mails: explanations.found.map(explanationJson), receivedScans: explanations.receivedScans },
    explanations.found.map(timeline).join('\n\n'),
  );
  return explanations.found.some((e) => 'error' in e.appointment) ? EXIT.unavailable : EXIT.ok;
}

/**
 * No mail.received.v1 (the MAIL stream keeps 14 days): the appointment service's records last
 * longer, so a mail id may still be explained from them alone.
 */
async function explainUnreceived(query: string, appointmentGrpc: string, scans: ScanStats[], out: Output): Promise<number> {
  const cut = scans.find((s) => s.truncated);
  const searched = cut ? `only ${cut.scanned} of ${cut.matching} mail.received.v1 were searched (raise --scan-limit)` : 'it keeps 14 days';
  const notFound = cliError('CLI_NOT_FOUND', `no mail with id or Message-ID ${query} in stream MAIL (${searched}), and the appointment service has no outcome for it`);
  if (query.includes('@')) throw notFound;
  const appointment = await askAppointment(appointmentGrpc, query, []);
  if ('error' in appointment) throw appointment.error;
  if (appointment.outcomes.length === 0) throw notFound;
  const explanation: MailExplanation = { mailId: query, received: null, trail: null, appointment };
  out.result({ query, mails: [explanationJson(explanation)], receivedScans: scans }, timeline(explanation));
  return EXIT.ok;
}

async function askAppointment(address: string, mailId: string, uids: string[]): Promise<appointmentV1.ExplainMailResponse | { error: AppError }> {
  const client = appointmentClient(address);
  try {
    return await callUnary<appointmentV1.ExplainMailResponse>((md, o, cb) => client.explainMail({ mailId, uids }, md, o, cb), CLI_DEADLINE_MS);
  } catch (err) {
    return { error: cliErrorFromGrpc(err, 'appointment', address) };
  } finally {
    client.close();
  }
}
