// iCalendar text → VCALENDAR components, tolerating the damage real senders do (domain.md §4).
//
// ical.js is strict: one bad line anywhere (an ORGANIZER written "ORGANIZER;mailto:x") fails the
// whole object. When that happens we parse again line by line and decide per line: a line we
// depend on for identity or time rejects the object, anything else is dropped with a warning.
// RRULEs never reach ical.js's recurrence parser at all (see RAW_RRULE_PROPERTY).
import { ICAL, RAW_RULE_PROPERTIES, type IcalComponent } from './ical';
import { CalendarRejection } from './parse-outcome';
import { WARNING, warning } from './warnings';

export interface IcsParse {
  calendars: IcalComponent[];
  warnings: string[];
}

/**
 * Lines that decide identity (UID, RECURRENCE-ID), ordering (SEQUENCE, RFC 5546 §2.1.4) or when
 * the event happens; guessing around one of these would schedule the wrong thing.
 */
const CRITICAL = new Set([
  'METHOD', 'UID', 'RECURRENCE-ID', 'SEQUENCE', 'DTSTART', 'DTEND', 'DURATION', 'RRULE', 'EXRULE',
  ...Object.values(RAW_RULE_PROPERTIES).map((name) => name.toUpperCase()), 'TZID', 'TZOFFSETFROM', 'TZOFFSETTO',
]);
const RAW_RULE_NAMES = new Map(Object.entries(RAW_RULE_PROPERTIES).map(([rule, raw]) => [raw.toUpperCase(), rule.toUpperCase()]));

export function parseIcsText(text: string): IcsParse {
  const { body: trimmed, warnings } = trimToCalendars(text.replace(/\r\n?/g, '\n'));
  const body = trimmed.replace(/^(RRULE|EXRULE)(?=[;:])/gim, (name: string) =>
    RAW_RULE_PROPERTIES[name.toLowerCase() as keyof typeof RAW_RULE_PROPERTIES].toUpperCase(),
  );
  const first = tryParse(body);
  if (first.ok) return { calendars: first.calendars, warnings };
  const repaired = repairLines(body);
  const second = tryParse(repaired.text);
  if (!second.ok) throw new CalendarRejection('MALFORMED_ICALENDAR', clip(`ical.js: ${first.error}`));
  return { calendars: second.calendars, warnings: [...warnings, ...repaired.warnings] };
}

/** Everything before the first BEGIN:VCALENDAR and after the last END:VCALENDAR goes. */
function trimToCalendars(text: string): { body: string; warnings: string[] } {
  const begin = /^BEGIN:VCALENDAR[ \t]*$/im.exec(text);
  if (!begin) throw new CalendarRejection('MALFORMED_ICALENDAR', 'no BEGIN:VCALENDAR line');
  const ends = [...text.matchAll(/^END:VCALENDAR[ \t]*$/gim)];
  const last = ends[ends.length - 1];
  const stop = last?.index === undefined ? text.length : last.index + last[0].length;
  const body = text.slice(begin.index, stop);
  const dropped = (text.slice(0, begin.index) + text.slice(stop)).trim();
  const warnings = dropped ? [warning(WARNING.strayContent, `${dropped.length} characters outside VCALENDAR`)] : [];
  return { body, warnings };
}

type Attempt = { ok: true; calendars: IcalComponent[] } | { ok: false; error: string };

function tryParse(text: string): Attempt {
  try {
    const jcal: unknown = ICAL.parse(text);
    if (!Array.isArray(jcal)) return { ok: false, error: 'no component' };
    // One object parses to a jCal component ['vcalendar', …], several to an array of them.
    const roots: unknown[] = typeof jcal[0] === 'string' ? [jcal] : jcal;
    const calendars = roots
      .filter((root): root is unknown[] => Array.isArray(root) && root[0] === 'vcalendar')
      .map((root) => new ICAL.Component(root));
    return { ok: true, calendars };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

function repairLines(body: string): { text: string; warnings: string[] } {
  const warnings: string[] = [];
  const kept: string[] = [];
  for (const line of unfold(body)) {
    const repaired = repairLine(line, warnings);
    if (repaired !== undefined) kept.push(repaired);
  }
  return { text: kept.join('\n'), warnings };
}

function repairLine(line: string, warnings: string[]): string | undefined {
  if (line.trim() === '' || /^(BEGIN|END):/i.test(line)) return line;
  const error = parseError(line);
  if (error === undefined) return line;
  const name = (/^[^;:]*/.exec(line)?.[0] ?? '').trim().toUpperCase();
  const requoted = closeSwallowingQuote(line);
  if (requoted !== undefined && parseError(requoted) === undefined) {
    warnings.push(warning(WARNING.lineRepaired, clip(`${line} read as ${requoted}`)));
    return requoted;
  }
  if (CRITICAL.has(name)) {
    const shown = RAW_RULE_NAMES.get(name) ?? name;
    throw new CalendarRejection('MALFORMED_ICALENDAR', clip(`unreadable ${shown} line: ${error}`));
  }
  warnings.push(warning(WARNING.lineDropped, clip(`${name || 'line'}: ${error}`)));
  return undefined;
}

function parseError(line: string): string | undefined {
  try {
    ICAL.parse.property(line);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Exchange has been seen writing `DTSTART;TZID="W. Europe Standard Time:20200609T090000"`: the
 * closing quote after the value instead of before the colon. With exactly one quoted run, no
 * colon after it and one inside it, the intended line is unambiguous.
 */
function closeSwallowingQuote(line: string): string | undefined {
  const match = /^([^:"]*=)"([^"]*):([^":]*)"\s*$/.exec(line);
  return match ? `${match[1]}"${match[2]}":${match[3]}` : undefined;
}

/** RFC 5545 §3.1: a line break followed by one space or tab continues the previous line. */
function unfold(body: string): string[] {
  const lines: string[] = [];
  for (const line of body.split('\n')) {
    const previous = lines.length - 1;
    if ((line.startsWith(' ') || line.startsWith('\t')) && previous >= 0) lines[previous] += line.slice(1);
    else lines.push(line);
  }
  return lines;
}

function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
