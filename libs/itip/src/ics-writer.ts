// A copy as iCalendar text (RFC 5545), deterministic: the same state always gives the same bytes,
// so tests compare text and `meeting show --ics` can print it. Hand-written rather than
// ical-generator, which adds its own PRODID/DTSTAMP and cannot write RANGE or our X- state.
import type { ItipMessage } from './decision';
import type { Answer, Attendee, Component, Meeting } from './meeting.model';
import { components, instanceTombstone } from './meeting-state';
import { isKnownZone, wallClockMs } from './zone-time';

/** RFC 5545 §3.3.11 TEXT escaping. */
const text = (v: string): string => v.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
/** RFC 5545 §3.2: parameter values with : ; , are quoted. */
const param = (v: string): string => (/[:;,]/.test(v) ? `"${v.replace(/"/g, '')}"` : v);
const compact = (iso: string): string => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** RFC 5545 §3.1: lines longer than 75 octets are folded (CRLF + space). */
function fold(line: string): string {
  const out: string[] = [];
  let rest = line;
  while (Buffer.byteLength(rest, 'utf8') > 75) {
    let cut = 75;
    while (Buffer.byteLength(rest.slice(0, cut), 'utf8') > (out.length ? 74 : 75)) cut -= 1;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  out.push(rest);
  return out.join('\r\n ');
}

/** DTSTART-like property in the component's zone when it is an IANA zone, else in UTC. */
function timeProp(name: string, iso: string, c: Pick<Component, 'timeZone' | 'allDay'>, params = ''): string {
  if (c.allDay) return `${name};VALUE=DATE${params}:${compact(iso).slice(0, 8)}`;
  if (c.timeZone && c.timeZone !== 'UTC' && isKnownZone(c.timeZone)) {
    const wall = compact(new Date(wallClockMs(c.timeZone, Date.parse(iso))).toISOString()).replace('Z', '');
    return `${name};TZID=${param(c.timeZone)}${params}:${wall}`;
  }
  return `${name}${params}:${compact(iso)}`;
}

function partyParams(p: { name: string; sentBy: string }): string {
  return `${p.name ? `;CN=${param(p.name)}` : ''}${p.sentBy ? `;SENT-BY="mailto:${p.sentBy}"` : ''}`;
}

function attendeeLine(a: Attendee, answer: Answer | undefined): string[] {
  const partstat = answer?.partstat ?? a.partstat;
  const delegatedTo = answer?.delegatedTo.length ? answer.delegatedTo : a.delegatedTo;
  const params = [
    partyParams(a), a.role ? `;ROLE=${a.role}` : '', `;PARTSTAT=${partstat}`, a.rsvp ? ';RSVP=TRUE' : '',
    delegatedTo.length ? `;DELEGATED-TO=${delegatedTo.map((d) => `"mailto:${d}"`).join(',')}` : '',
    a.delegatedFrom.length ? `;DELEGATED-FROM=${a.delegatedFrom.map((d) => `"mailto:${d}"`).join(',')}` : '',
    a.scheduleAgent ? `;SCHEDULE-AGENT=${a.scheduleAgent}` : '',
  ].join('');
  const comments = (answer?.comment ?? []).map((c) => `X-INVITEFLOW-REPLY-COMMENT;ATTENDEE="mailto:${a.address}":${text(c)}`);
  return [`ATTENDEE${params}:mailto:${a.address}`, ...comments];
}

/** One VEVENT; `series` gives the zone RECURRENCE-ID is written in (the master's, as careful clients do). */
export function veventLines(m: Pick<Meeting, 'uid'>, c: Component, series: Component | undefined, answers: Record<string, Answer> = {}, extra: string[] = []): string[] {
  const zone = series ?? c;
  return [
    'BEGIN:VEVENT', `UID:${m.uid}`,
    ...(c.recurrenceId ? [timeProp('RECURRENCE-ID', c.recurrenceId, zone, c.range ? `;RANGE=${c.range}` : '')] : []),
    `SEQUENCE:${c.version.sequence}`, ...(c.version.dtstamp ? [`DTSTAMP:${compact(c.version.dtstamp)}`] : []),
    ...(c.start ? [timeProp('DTSTART', c.start, c)] : []), ...(c.end ? [timeProp('DTEND', c.end, c)] : []),
    ...c.rrule.map((r) => `RRULE:${r}`), ...c.rdate.map((d) => `RDATE:${compact(d)}`), ...c.exdate.map((d) => timeProp('EXDATE', d, c)),
    ...(c.summary ? [`SUMMARY:${text(c.summary)}`] : []), ...(c.location ? [`LOCATION:${text(c.location)}`] : []),
    ...(c.description ? [`DESCRIPTION:${text(c.description)}`] : []), ...(c.status ? [`STATUS:${c.status}`] : []),
    ...(c.conference ? [`CONFERENCE;VALUE=URI;FEATURE=VIDEO${c.conference.provider ? `;LABEL=${param(c.conference.provider)}` : ''}:${c.conference.url}`] : []),
    ...(c.organizer.address ? [`ORGANIZER${partyParams(c.organizer)}:mailto:${c.organizer.address}`] : []),
    ...c.attendees.flatMap((a) => attendeeLine(a, answers[a.address] ?? a.answer)),
    ...(c.added ? ['X-INVITEFLOW-ADDED:TRUE'] : []), ...extra, 'END:VEVENT',
  ].map(fold);
}

function ownAnswerLines(m: Meeting, rid: string): string[] {
  const own = m.ownAnswers[rid];
  return own ? [`X-INVITEFLOW-OWN-PARTSTAT${own.moved ? ';MOVED=TRUE' : ''}:${own.partstat}`] : [];
}

/** The copy as a VCALENDAR: master, overrides, instances answered without an override, model state as X- properties. */
export function toICalendar(m: Meeting): string {
  const master = m.master;
  const whole = m.status === 'cancelled' ? ['X-INVITEFLOW-CANCELLED:TRUE'] : [];
  const exdates = Object.keys(m.tombstones).filter((rid) => rid && instanceTombstone(m, rid)).sort();
  const masterOut = master && { ...master, exdate: [...new Set([...master.exdate, ...exdates.filter((r) => !m.tombstones[r]!.range)])].sort() };
  const events = [
    ...(masterOut ? veventLines(m, masterOut, masterOut, {}, [...whole, ...ownAnswerLines(m, ''), ...rangeCancels(m)]) : []),
    ...components(m).filter((c) => c.recurrenceId && !instanceTombstone(m, c.recurrenceId)).flatMap((c) =>
      veventLines(m, c, master, m.instanceAnswers[c.recurrenceId], ownAnswerLines(m, c.recurrenceId))),
    ...answerOnlyInstances(m),
    ...(!master && whole.length ? ['BEGIN:VEVENT', `UID:${m.uid}`, `SEQUENCE:${m.tombstones['']!.version.sequence}`, 'STATUS:CANCELLED', ...whole, 'END:VEVENT'] : []),
  ];
  const head = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//inviteflow//itip//EN', `X-INVITEFLOW-ROLE:${m.role}`,
    ...(m.tentative ? ['X-INVITEFLOW-TENTATIVE:TRUE'] : []), ...m.cautions.map((c) => `X-INVITEFLOW-CAUTION:${c.code}`),
    ...m.proposals.map((p) => `X-INVITEFLOW-PROPOSAL;FROM="mailto:${p.from}"${p.recurrenceId ? `;RECURRENCE-ID=${compact(p.recurrenceId)}` : ''}:${compact(p.start)}/${compact(p.end)}`),
    ...m.declinedCounters.map((d) => `X-INVITEFLOW-COUNTER-DECLINED${d.recurrenceId ? `;RECURRENCE-ID=${compact(d.recurrenceId)}` : ''}:${d.version.sequence}`),
  ];
  return [...head, ...events, 'END:VCALENDAR', ''].join('\r\n');
}

function rangeCancels(m: Meeting): string[] {
  return Object.values(m.tombstones).filter((t) => t.recurrenceId && t.range).map((t) => `X-INVITEFLOW-CANCELLED-FROM:${compact(t.recurrenceId)}`).sort();
}

/** A REPLY for an instance with no override still needs a VEVENT to carry its PARTSTAT: derived from the master. */
function answerOnlyInstances(m: Meeting): string[] {
  const master = m.master;
  if (!master) return [];
  const duration = Date.parse(master.end) - Date.parse(master.start);
  return Object.keys(m.instanceAnswers).filter((rid) => !m.overrides[rid] && !instanceTombstone(m, rid)).sort().flatMap((rid) => {
    const answers = m.instanceAnswers[rid]!;
    const delegates = Object.keys(answers).filter((a) => !master.attendees.some((x) => x.address === a)).map((address) => ({
      address, name: '', sentBy: '', partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT', rsvp: true, cutype: '', delegatedTo: [], delegatedFrom: [], scheduleAgent: '',
    }));
    const instance: Component = {
      ...master, recurrenceId: rid, range: '', start: rid, end: new Date(Date.parse(rid) + duration).toISOString(), rrule: [], rdate: [], exdate: [],
      attendees: [...master.attendees, ...delegates].sort((a, b) => (a.address < b.address ? -1 : 1)),
    };
    return veventLines(m, instance, master, answers, ownAnswerLines(m, rid));
  });
}

/**
 * An outbound iTIP message as the VCALENDAR to carry in iMIP (RFC 6047 §2.4: METHOD in the
 * calendar and the MIME part must agree). The master gives the zone its overrides' RECURRENCE-IDs
 * are written in; outbound-mail adds the MIME around it.
 */
export function itipCalendar(msg: ItipMessage): string {
  const master = msg.components.find((c) => !c.recurrenceId);
  const comments = (msg.comment ?? []).map((c) => `COMMENT:${text(c)}`);
  const events = msg.components.flatMap((c) => veventLines({ uid: msg.uid }, c, master ?? c, {}, comments));
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//inviteflow//itip//EN', `METHOD:${msg.method}`, ...events, 'END:VCALENDAR', ''].join('\r\n');
}
