// The human view of one parse outcome: what a support engineer needs to answer "why did this
// invitation do nothing?" without reading service logs. Scripts use --json instead.
import { describeOutcome, type ParseOutcome } from '@inviteflow/parser-core';
import { eventsV1 } from '@inviteflow/proto-gen';

/** What the outcome means for the pipeline, in one line, per outcome kind. */
const CONSEQUENCE: Record<ParseOutcome['kind'], string> = {
  parsed: 'published on invite.parsed.v1, one message per UID',
  ignored: 'recorded on mail.ignored.v1; nothing is scheduled (not an invitation)',
  rejected: 'recorded on mail.rejected.v1; nothing is scheduled (an invitation we cannot use)',
};

/**
 * One event in its wire form (CalendarEvent.toJSON), which omits default values. The report is
 * rendered from the wire form on purpose: it shows exactly what invite.parsed.v1 carries, and
 * fields the schema gains later still appear (under "also") without a change here.
 */
interface WireEvent {
  recurrenceId?: string;
  recurrenceIdRange?: string;
  sequence?: number;
  sequenceAbsurd?: boolean;
  dtstamp?: string;
  start?: string;
  end?: string;
  timeZone?: string;
  ianaTimeZone?: string;
  timeZoneSource?: string;
  allDay?: boolean;
  floating?: boolean;
  floatingReason?: string;
  status?: string;
  summary?: string;
  location?: string;
  description?: string;
  organizer?: WireParty;
  attendees?: WireParty[];
  rrule?: string[];
  rdate?: string[];
  exdate?: string[];
  exrule?: string[];
  onlineMeetingUrl?: string;
  onlineMeetingProvider?: string;
  onlineMeetingSource?: string;
  onlineMeetingLabel?: string;
}

interface WireParty {
  address?: string;
  name?: string;
  partstat?: string;
  role?: string;
  cutype?: string;
  rsvp?: boolean;
}

/** Wire fields rendered on their own lines below; every other one is listed under "also". */
const SHOWN_FIELDS: ReadonlySet<string> = new Set<keyof WireEvent>([
  'recurrenceId', 'recurrenceIdRange', 'sequence', 'sequenceAbsurd', 'dtstamp', 'start', 'end', 'timeZone', 'ianaTimeZone',
  'timeZoneSource', 'allDay', 'floating', 'floatingReason', 'status', 'summary', 'location', 'description', 'organizer', 'attendees',
  'rrule', 'rdate', 'exdate', 'exrule', 'onlineMeetingUrl', 'onlineMeetingProvider', 'onlineMeetingSource', 'onlineMeetingLabel',
]);

/**
 * Warnings that say the parser kept a message only by repairing or dropping part of it, by code
 * (warnings.ts; other parser helpers add codes, so the match is on what a code says, not a list).
 * First match wins: CALENDAR_EXTRA_ENCODING_REMOVED is a recovery, not a salvage.
 */
const WARNING_GROUPS: ReadonlyArray<[label: string, code: RegExp]> = [
  ['recovered (damaged MIME or iCalendar repaired, then read):', /RECOVER|REPAIR|UNWRAP|EXTRA_ENCODING|FOUND_IN_TEXT/],
  ['salvaged (unusable parts dropped, the rest kept):', /SALVAG|DROPPED|REMOVED|PARTS_DISAGREE/],
];

export function formatOutcome(source: string, outcome: ParseOutcome): string {
  const head = [`file:     ${source}`, `outcome:  ${describeOutcome(outcome)}`];
  if (outcome.kind !== 'parsed') {
    return [...head, `reason:   ${outcome.reasonCode}`, `detail:   ${oneLine(outcome.detail)}`, `effect:   ${CONSEQUENCE[outcome.kind]}`].join('\n');
  }
  const invites = outcome.invites.flatMap((invite, i) => ['', ...formatInvite(invite, `${i + 1} of ${outcome.invites.length}`)]);
  return [...head, `effect:   ${CONSEQUENCE.parsed}`, ...invites].join('\n');
}

function formatInvite(invite: eventsV1.InviteParsed, position: string): string[] {
  const mail = invite.mail;
  return [
    `invite ${position}`,
    `  method:    ${oneLine(invite.method)}`,
    `  uid:       ${oneLine(invite.uid)}`,
    ...(mail && (mail.from || mail.subject || mail.messageId)
      ? [`  mail:      ${oneLine(`from ${mail.from || '-'}, subject "${mail.subject}", Message-ID ${mail.messageId || '-'}`)}`]
      : []),
    ...warningLines(invite.warnings),
    ...invite.events.flatMap((event) => formatEvent(eventsV1.CalendarEvent.toJSON(event) as WireEvent)),
  ];
}

function formatEvent(e: WireEvent): string[] {
  const recurrence = [
    ...(e.rrule ?? []).map((rule) => (/^RRULE:/i.test(rule) ? rule : `RRULE:${rule}`)),
    ...(e.exrule ?? []).map((rule) => `EXRULE:${rule}`),
    ...(e.rdate ?? []).map((date) => `RDATE ${date}`),
    ...(e.exdate ?? []).map((date) => `EXDATE ${date}`),
  ];
  return [
    e.recurrenceId ? `  override RECURRENCE-ID ${e.recurrenceId}${e.recurrenceIdRange ? ` RANGE=${e.recurrenceIdRange}` : ''}` : '  master event',
    `    sequence:   ${e.sequence ?? 0}${e.sequenceAbsurd ? '  (absurd value, flagged)' : ''}`,
    `    dtstamp:    ${e.dtstamp ?? '(none)'}`,
    `    start:      ${e.start ?? '(none)'}${zoneLabel(e)}`,
    `    end:        ${e.end ?? '(none)'}`,
    `    all-day:    ${e.allDay ? 'yes' : 'no'}`,
    ...optional('    status:     ', e.status),
    ...optional('    summary:    ', e.summary),
    ...optional('    location:   ', e.location),
    ...joinLink(e),
    ...optional('    description: ', e.description),
    `    organizer:  ${e.organizer ? party(e.organizer) : '(none)'}`,
    ...list('    attendees:', (e.attendees ?? []).map(party)),
    ...list('    recurrence:', recurrence),
    ...alsoFields(e),
  ];
}

/** Recovered and salvaged warnings first, each group under its own label, so they stand out. */
function warningLines(warnings: string[]): string[] {
  const code = (w: string): string => w.split(':', 1)[0]!.trim().toUpperCase();
  const groupOf = (w: string): number => WARNING_GROUPS.findIndex(([, pattern]) => pattern.test(code(w)));
  const grouped = WARNING_GROUPS.map(([label], i) => ({ label, items: warnings.filter((w) => groupOf(w) === i) }));
  const other = warnings.filter((w) => groupOf(w) === -1);
  if (grouped.every((g) => g.items.length === 0)) return list('  warnings:', other);
  return [
    '  warnings:',
    ...grouped.filter((g) => g.items.length > 0).flatMap((g) => list(`    ${g.label}`, g.items)),
    ...(other.length > 0 ? list('    other:', other) : []),
  ];
}

/** The join link whole (so it can be copied), then which service and which property it came from. */
function joinLink(e: WireEvent): string[] {
  if (!e.onlineMeetingUrl?.trim()) return [];
  const via = [e.onlineMeetingProvider, e.onlineMeetingSource && `from ${e.onlineMeetingSource}`, e.onlineMeetingLabel && `label "${e.onlineMeetingLabel}"`];
  const detail = via.filter(Boolean).join(', ');
  return [`    join link:  ${oneLine(e.onlineMeetingUrl.trim(), Infinity)}${detail ? `  (${oneLine(detail)})` : ''}`];
}

/** The instants above are UTC; this says which zone the sender meant and how it was resolved. */
function zoneLabel(e: WireEvent): string {
  if (e.allDay) return '  (all-day date)';
  // A floating time is a wall-clock time, shown as if UTC: the scheduling agent places it in
  // the recipient's zone (an unknown TZID is never silently read as UTC).
  if (e.floating || (!e.timeZone && e.start)) {
    const why = e.floatingReason === 'TZID_UNKNOWN' ? `, TZID ${e.timeZone ?? ''} unknown` : e.floatingReason === 'NO_TZID' ? ', no TZID' : '';
    return `  (floating wall time${why}: placed in the recipient's zone)`;
  }
  if (!e.timeZone) return '';
  const iana = e.ianaTimeZone && e.ianaTimeZone !== e.timeZone ? ` = ${e.ianaTimeZone}` : '';
  const how = e.timeZoneSource ? `, via ${e.timeZoneSource}` : '';
  return `  (TZID ${e.timeZone}${iana}${how})`;
}

function party(p: WireParty): string {
  const name = p.name ? `${p.name} ` : '';
  const params = [p.partstat, p.role, p.cutype, p.rsvp ? 'RSVP' : ''].filter(Boolean).join(' ');
  return oneLine(`${name}<${p.address ?? ''}>${params ? `  ${params}` : ''}`);
}

/** Wire fields not rendered above (Outlook statuses, comments, fields added after this was written). */
function alsoFields(e: WireEvent): string[] {
  const rest = Object.entries(e)
    .filter(([key]) => !SHOWN_FIELDS.has(key))
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return rest.length ? list('    also:', rest) : [];
}

function optional(label: string, value: string | undefined, maxLength?: number): string[] {
  return value?.trim() ? [`${label}${oneLine(value.trim(), maxLength)}`] : [];
}

/** A label with "(none)", or the label followed by one indented line per item. */
function list(label: string, items: string[]): string[] {
  if (items.length === 0) return [`${label} (none)`];
  const indent = ' '.repeat(label.length - label.trimStart().length + 2);
  return [label, ...items.map((item) => `${indent}- ${oneLine(item)}`)];
}

/**
 * Keeps one record per line: a DESCRIPTION or a hostile header must not forge extra lines.
 * Long text is clipped (--json has it whole); a join link is not, so it can be copied.
 */
function oneLine(value: string, maxLength = 200): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ').replace(/\p{Cc}/gu, '');
  return flat.length > maxLength ? `${flat.slice(0, maxLength)}…` : flat;
}
