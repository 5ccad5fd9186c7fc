import { appointmentV1, eventsV1 } from '@inviteflow/proto-gen';
import type { AppError } from '@inviteflow/runtime';
import type { MailTrail, Stored } from './mail.streams';
import type { ScanStats } from './stream.scan';
import { recipientText } from './meeting.format';

/** Everything `explain` found about one delivered mail. */
export interface MailExplanation {
  mailId: string;
  /** Null when the MAIL stream no longer holds it (explained from the appointment records). */
  received: Stored<eventsV1.MailReceived> | null;
  trail: MailTrail | null;
  appointment: appointmentV1.ExplainMailResponse | { error: AppError };
}

type Row = { at: string; what: string; detail: string; where: string };

/** The --json shape: stable names, ISO times, the scans' costs. */
export function explanationJson(e: MailExplanation): unknown {
  const r = e.received;
  const trail = e.trail;
  return {
    mailId: e.mailId,
    messageId: r?.event.messageId ?? null,
    received: r && {
      at: r.event.receivedAt?.toISOString() ?? null, storedAt: r.storedAt.toISOString(), stream: r.stream, seq: r.seq, source: r.event.source,
      envelopeFrom: r.event.envelopeFrom, envelopeTo: r.event.envelopeTo, size: r.event.size, sha256: r.event.sha256,
      // 'inline': the bytes travelled in the event itself (RAW_INLINE_MAX_BYTES), no object.
      rawMail: r.event.objectName ? 'object' : 'inline', objectStore: r.event.objectStore, objectName: r.event.objectName,
    },
    parser: trail && {
      result: trail.parsed.length > 0 ? 'parsed' : (trail.outcomes[0]?.kind ?? 'none'),
      invites: trail.parsed.map((p) => ({
        uid: p.event.uid, method: p.event.method, events: p.event.events.length, warnings: p.event.warnings,
        stream: p.stream, seq: p.seq, storedAt: p.storedAt.toISOString(),
      })),
      outcomes: trail.outcomes.map((o) => ({
        kind: o.kind, reasonCode: o.record.event.reasonCode, detail: o.record.event.detail,
        stream: o.record.stream, seq: o.record.seq, storedAt: o.record.storedAt.toISOString(),
      })),
    },
    appointment: 'error' in e.appointment
      ? { error: e.appointment.error.message }
      : {
        outcomes: e.appointment.outcomes.map((o) => appointmentV1.InviteOutcome.toJSON(o)),
        // The copies as they are now; the stored model stays out (`meeting show --json` has it).
        meetings: e.appointment.meetings.map((m) => ({ ...(appointmentV1.MeetingCopy.toJSON(m) as object), modelJson: undefined, icalendar: undefined })),
      },
    deadLetters: trail?.deadLetters ?? [],
    scans: trail?.scans ?? [],
  };
}

/** A short timeline for people, oldest first, then what is missing and what the search cost. */
export function timeline(e: MailExplanation): string {
  const rows: Row[] = [];
  const notes: string[] = [];
  const r = e.received;
  if (r) {
    const ev = r.event;
    rows.push({
      at: r.storedAt.toISOString(), what: 'received',
      detail: `${ev.source || 'mail'} from ${ev.envelopeFrom || '<>'} to ${ev.envelopeTo.join(', ')}; ${ev.size} bytes, sha256 ${ev.sha256.slice(0, 16)}…`,
      where: `${r.stream} #${r.seq}`,
    });
  } else {
    notes.push('mail.received.v1 is no longer in stream MAIL (kept 14 days): shown from the appointment service\'s records only');
  }
  if (e.trail) parserRows(e.trail, rows, notes);
  appointmentRows(e, rows, notes);
  for (const d of e.trail?.deadLetters ?? []) {
    rows.push({
      at: d.at, what: 'dead letter',
      detail: `${d.code} on ${d.originalSubject} (${d.stream}/${d.consumer}, ${d.deliveries} deliver${d.deliveries === 1 ? 'y' : 'ies'}): ${d.reason}; replay: inviteflow dlq replay ${d.seq}`,
      where: `DLQ #${d.seq}`,
    });
  }
  rows.sort((a, b) => a.at.localeCompare(b.at));
  const head = `mail ${e.mailId}${r?.event.messageId ? `  Message-ID ${r.event.messageId}` : ''}`;
  // Not a padded table: one long UID would push every other column off the screen.
  const width = Math.max(...rows.map((x) => x.what.length));
  const body = rows.map((x) => `  ${x.at.padEnd(24)}  ${x.what.padEnd(width)}  ${x.detail}  [${x.where}]`).join('\n');
  const scans = e.trail ? [scanSummary(e.trail.scans)] : [];
  return [head, body, ...notes.map((n) => `note: ${n}`), ...scans].join('\n');
}

function parserRows(trail: MailTrail, rows: Row[], notes: string[]): void {
  for (const p of trail.parsed) {
    const ev = p.event;
    const warnings = ev.warnings.length > 0 ? `; warnings: ${ev.warnings.join(', ')}` : '';
    rows.push({ at: p.storedAt.toISOString(), what: 'parsed', detail: `${ev.method} uid ${ev.uid}, ${ev.events.length} event${ev.events.length === 1 ? '' : 's'}${warnings}`, where: `${p.stream} #${p.seq}` });
  }
  for (const o of trail.outcomes) {
    rows.push({ at: o.record.storedAt.toISOString(), what: o.kind, detail: `${o.record.event.reasonCode}: ${o.record.event.detail}`, where: `${o.record.stream} #${o.record.seq}` });
  }
  if (trail.parsed.length === 0 && trail.outcomes.length === 0) {
    notes.push('no parser outcome yet: the parser has not handled it (see inviteflow status), is retrying it, or dead-lettered it');
  }
}

function appointmentRows(e: MailExplanation, rows: Row[], notes: string[]): void {
  if ('error' in e.appointment) {
    notes.push(`what the appointment service did is unknown: ${e.appointment.error.message}`);
    return;
  }
  const copies = new Map(e.appointment.meetings.map((m) => [m.id, m]));
  const seen = new Set<string>();
  for (const o of e.appointment.outcomes) {
    seen.add(o.uid);
    const at = o.recordedAt?.toISOString() ?? '';
    // One row per recipient: each copy has its own decisions (issue 9 §4).
    // Sender authentication (issue 15 pt 4): what was evaluated and what the check made of it.
    if (o.authentication) rows.push({ at, what: 'sender', detail: `${o.method} uid ${o.uid}: ${o.senderCheck || 'not checked'} — Authentication-Results: ${o.authentication}`, where: 'appointment' });
    const recipients = o.recipients.length > 0 ? o.recipients : [];
    if (recipients.length === 0) rows.push({ at, what: o.outcome, detail: `${o.method} uid ${o.uid}: ${o.detail}`, where: 'appointment' });
    for (const r of recipients) {
      rows.push({ at, what: r.outcome, detail: `${o.method} uid ${o.uid}: ${recipientOutcomeText(r, copies.get(r.meetingId))}`, where: 'appointment' });
    }
  }
  for (const p of e.trail?.parsed ?? []) {
    if (!seen.has(p.event.uid)) notes.push(`uid ${p.event.uid}: no outcome recorded by the appointment service yet (still queued or retrying, or see dead letters)`);
  }
}

function recipientOutcomeText(r: appointmentV1.RecipientOutcome, copy: appointmentV1.MeetingCopy | undefined): string {
  if (r.outcome === 'PARKED') return `waits for ${r.address} to become known (inviteflow unresolved)`;
  const now = copy ? `; the copy now: ${copy.role}'s, ${copy.status}, SEQUENCE ${copy.sequence}, ${copy.master?.start?.toISOString() ?? 'no master'}` : '';
  return `${recipientText(r)}${now}`;
}

function scanSummary(scans: readonly ScanStats[]): string {
  const parts = scans.map((s) => `${s.stream} ${s.subjects.join(',')}: ${s.scanned}${s.truncated ? ` of ${s.matching} (TRUNCATED: raise --scan-limit)` : ''}${s.missingStream ? ' (no stream)' : ''}`);
  const from = scans[0]?.from;
  return `searched${from ? ` from ${from}` : ''}: ${parts.join('; ')}`;
}
