import { appointmentV1 } from '@inviteflow/proto-gen';
import { table } from '../cli-output';

// `inviteflow meeting show` and `meeting history` for people. Pure; --json and --ics are the
// formats for scripts.

const iso = (d: Date | undefined): string => d?.toISOString() ?? '-';
const version = (v: appointmentV1.Version | undefined): string => `SEQUENCE ${v?.sequence ?? 0}${v?.dtstamp ? `, DTSTAMP ${iso(v.dtstamp)}` : ''}`;
const party = (p: appointmentV1.Party | undefined): string =>
  p?.address ? `${p.name ? `${p.name} <${p.address}>` : p.address}${p.sentBy ? ` (sent by ${p.sentBy})` : ''}` : '-';

function span(c: appointmentV1.Component): string {
  if (c.allDay) return `${iso(c.start).slice(0, 10)} – ${iso(c.end).slice(0, 10)} (all day)`;
  return `${iso(c.start)} – ${iso(c.end)}${c.timeZone ? ` (written in ${c.timeZone})` : ' (UTC)'}`;
}

function componentLines(label: string, c: appointmentV1.Component): string[] {
  return [
    `  ${label}${c.recurrenceId ? ` ${c.recurrenceId}${c.range ? ` ${c.range}` : ''}` : ''}: ${span(c)}, ${version(c.version)}${c.status ? `, STATUS ${c.status}` : ''}${c.added ? ', added by ADD' : ''}`,
    `    summary: ${c.summary || '-'}${c.location ? `   location: ${c.location}` : ''}`,
    ...(c.rrule.length ? [`    RRULE: ${c.rrule.join(' | ')}`] : []),
    ...(c.rdate.length ? [`    RDATE: ${c.rdate.join(', ')}`] : []),
    ...(c.exdate.length ? [`    EXDATE: ${c.exdate.join(', ')}`] : []),
    ...(c.conference?.url ? [`    conference: ${c.conference.url}${c.conference.provider ? ` (${c.conference.provider})` : ''}`] : []),
  ];
}

/**
 * Attendees down, instances across: each cell the PARTSTAT that holds for that instance. A
 * reply the attendee sent is marked `*` (series reply) or `!` (reply for that occurrence only),
 * so "what the organizer asked" and "what they answered" are told apart.
 */
export function attendanceTable(copy: appointmentV1.MeetingCopy): string {
  const columns = copy.attendance;
  if (columns.length === 0) return '';
  const addresses = [...new Set(columns.flatMap((c) => c.attendees.map((a) => a.address)))].sort();
  const mark: Record<string, string> = { reply: '*', 'instance-reply': '!' };
  const head = ['attendee', ...columns.map((c) => `${c.recurrenceId ? iso(c.start) : 'series'}${c.cancelled ? ' (cancelled)' : ''}`)];
  const rows = addresses.map((address) => [address, ...columns.map((c) => {
    const s = c.attendees.find((a) => a.address === address);
    return s ? `${s.partstat}${mark[s.source] ?? ''}` : '';
  })]);
  return table(head, rows).split('\n').map((l) => `    ${l}`).join('\n');
}

export function meetingCopyText(copy: appointmentV1.MeetingCopy): string {
  const lines = [
    `copy ${copy.id}: the ${copy.role}'s copy, held by ${copy.associateId} (${copy.ownerAddresses.join(', ') || '-'}; zone ${copy.ownerTimeZone || '-'})`,
    `  organizer: ${party(copy.organizer)}   SEQUENCE: ${copy.sequence}   status: ${copy.status}${copy.tentative ? ' (tentative: not answered)' : ''}   version: ${copy.version}   created: ${iso(copy.createdAt)}`,
    ...(copy.master ? componentLines('master', copy.master) : ['  master: none (invited to single instances only)']),
    ...copy.overrides.flatMap((o) => componentLines('override', o)),
    ...copy.tombstones.map((t) => `  cancelled: ${t.recurrenceId ? `instance ${t.recurrenceId}${t.range ? ` ${t.range}` : ''}` : 'the whole meeting'}${t.ownerRemoved ? ' (only this owner was removed)' : ''}, ${version(t.version)}, mail ${t.mailId}`),
    ...copy.ownAnswers.map((a) => `  own answer: ${a.recurrenceId || 'series'} ${a.partstat} (to SEQUENCE ${a.sequence}, ${iso(a.answeredAt)}${a.moved ? ', moved since' : ''})`),
    ...copy.proposals.map((p) => `  proposal: ${p.from} proposes ${iso(p.start)} – ${iso(p.end)}${p.recurrenceId ? ` for ${p.recurrenceId}` : ''}${p.location ? ` at ${p.location}` : ''}, ${version(p.version)}${p.comment.length ? `: ${p.comment.join(' / ')}` : ''}`),
    ...copy.declinedCounters.map((d) => `  counter declined: ${d.recurrenceId || 'series'}, ${version(d.version)}${d.comment.length ? `: ${d.comment.join(' / ')}` : ''}`),
    ...copy.cautions.map((c) => `  caution: ${c.code}${c.detail ? `: ${c.detail}` : ''}`),
  ];
  const attendance = attendanceTable(copy);
  return [...lines, ...(attendance ? ['  attendees × instances (* replied, ! replied for that occurrence):', attendance] : [])].join('\n');
}

export function meetingText(res: appointmentV1.GetMeetingResponse): string {
  return [`meeting ${res.uid}: ${res.copies.length} cop${res.copies.length === 1 ? 'y' : 'ies'}`, ...res.copies.map(meetingCopyText)].join('\n\n');
}

/** One decision in a line: code, finer reason, instance, what changed, why. */
export function decisionText(d: appointmentV1.Decision): string {
  return `${d.code} ${d.reason}${d.recurrenceId ? ` @${d.recurrenceId}` : ''}${d.changes.length ? ` [${d.changes.join(', ')}]` : ''}${d.detail ? ` (${d.detail})` : ''}`;
}

/** One recipient's outcome: where it went and every decision. */
export function recipientText(r: appointmentV1.RecipientOutcome): string {
  if (r.outcome === 'PARKED') return `${r.address}: PARKED until the address is known`;
  if (r.policy) return `${r.address}: ${policyNoteText(r.policy)}${r.appliedLater ? ' — decided once the address was known' : ''}`;
  const decisions = r.decisions.map(decisionText).join('; ') || r.outcome;
  return `${r.address}${r.meetingId ? ` (copy ${r.meetingId})` : ''}: ${decisions}${r.held ? ' — held until the meeting arrives' : ''}${r.appliedLater ? ` — applied later (${r.appliedLater === 'PARKED' ? 'after parking' : 'once the meeting arrived'})` : ''}`;
}

/** Kept out by "Manage incoming invitations" or the synchronizer preference: which setting, and what would have happened. */
export function policyNoteText(p: appointmentV1.PolicyNote): string {
  const by = p.outcome === 'SYNCHRONIZER' ? 'the calendar synchronizer is in use (the external calendar handles it)'
    : `${p.level} policy ${p.value}${p.scope ? ` (${p.scope})` : ''}`;
  const would = p.wouldHave.length ? `; would have been: ${p.wouldHave.map(decisionText).join('; ')}` : '';
  return `${p.outcome}, not applied — ${by}${would}`;
}

export function historyText(res: appointmentV1.MeetingHistoryResponse): string {
  const rows = res.entries.map((e, i) => [
    String(i + 1), iso(e.recordedAt), e.arrival ? `#${e.arrival}` : '-', e.method, e.outcome, e.mailId,
  ]);
  const detail = res.entries.flatMap((e, i) => [
    `${i + 1}. ${e.method} ${e.mailId}: ${e.outcome}`,
    ...(e.recipients.length ? e.recipients.map((r) => `     ${recipientText(r)}`) : [`     ${e.detail}`]),
    ...(e.parkedFor.length ? [`     still waits for ${e.parkedFor.join(', ')}`] : []),
  ]);
  return [`meeting ${res.uid}: ${res.entries.length} message${res.entries.length === 1 ? '' : 's'}, in arrival order`, table(['#', 'recorded', 'arrival', 'method', 'outcome', 'mail'], rows), '', ...detail].join('\n');
}

/** The import's answer: which copy, and what libs/itip decided. */
export function importText(file: string, res: appointmentV1.ImportMeetingResponse): string {
  const copy = res.meeting;
  return [
    `${file}: ${res.outcome}${res.saved ? '' : ' (nothing written)'} — recorded as ${res.mailId}`,
    ...(copy ? [`  copy ${copy.id}: the ${copy.role}'s copy of ${copy.uid}, SEQUENCE ${copy.sequence}, status ${copy.status}`] : ['  no copy exists']),
    ...res.decisions.map((d) => `  ${decisionText(d)}`),
  ].join('\n');
}
