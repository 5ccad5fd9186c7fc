// Reading iCalendar text one content line, or one component, at a time: the slow path of
// ics-text.ts, taken only when ical.js cannot read the whole text at once.
import { icalDateText } from './date-values';
import { ICAL, paramText, RAW_RULE_PROPERTIES, rawValue, type IcalComponent, type IcalProperty } from './ical';
import { WARNING, warning } from './warnings';

/**
 * Lines that decide identity (UID, RECURRENCE-ID), ordering (SEQUENCE, RFC 5546 §2.1.4) or when
 * the event happens; guessing around one of these would schedule the wrong thing.
 */
const CRITICAL = new Set([
  'METHOD', 'UID', 'RECURRENCE-ID', 'SEQUENCE', 'DTSTART', 'DTEND', 'DURATION', 'RRULE', 'EXRULE',
  ...Object.values(RAW_RULE_PROPERTIES).map((name) => name.toUpperCase()), 'TZID', 'TZOFFSETFROM', 'TZOFFSETTO',
]);
const RAW_RULE_NAMES = new Map(Object.entries(RAW_RULE_PROPERTIES).map(([rule, raw]) => [raw.toUpperCase(), rule.toUpperCase()]));

type Attempt = { ok: true; calendars: IcalComponent[] } | { ok: false; error: string };

/** The whole text at once: every VCALENDAR in it, or ical.js's complaint. */
export function parseCalendars(text: string): Attempt {
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
    return { ok: false, error: errorText(err) };
  }
}

/** One component's text → its jCal, or why ical.js could not read it. */
export function parseComponentText(text: string, name: string): { ok: true; jcal: unknown[] } | { ok: false; error: string } {
  try {
    const jcal: unknown = ICAL.parse(text);
    if (Array.isArray(jcal) && jcal[0] === name.toLowerCase()) return { ok: true, jcal };
    return { ok: false, error: `not one ${name}` };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

export type LineCheck =
  | { kind: 'keep'; line: string; warning?: string }
  | { kind: 'drop'; warning: string }
  /** An unreadable line we depend on: its component cannot be used. */
  | { kind: 'critical'; detail: string };

/** One unfolded content line (not BEGIN/END): kept, repaired, dropped, or fatal to its component. */
export function checkLine(line: string): LineCheck {
  if (line.trim() === '') return { kind: 'keep', line };
  const error = parseError(line);
  if (error === undefined) return { kind: 'keep', line };
  const name = (/^[^;:]*/.exec(line)?.[0] ?? '').trim().toUpperCase();
  const requoted = closeSwallowingQuote(line);
  if (requoted !== undefined && parseError(requoted) === undefined) {
    return { kind: 'keep', line: requoted, warning: warning(WARNING.lineRepaired, clip(`${line} read as ${requoted}`)) };
  }
  if (CRITICAL.has(name)) return { kind: 'critical', detail: clip(`unreadable ${RAW_RULE_NAMES.get(name) ?? name} line: ${error}`) };
  return { kind: 'drop', warning: warning(WARNING.lineDropped, clip(`${name || 'line'}: ${error}`)) };
}

function parseError(line: string): string | undefined {
  try {
    ICAL.parse.property(line);
    return undefined;
  } catch (err) {
    return errorText(err);
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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
export function unfold(body: string): string[] {
  const lines: string[] = [];
  for (const line of body.split('\n')) {
    const previous = lines.length - 1;
    if ((line.startsWith(' ') || line.startsWith('\t')) && previous >= 0) lines[previous] += line.slice(1);
    else lines.push(line);
  }
  return lines;
}

export function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * The UID and RECURRENCE-ID (as written) among a component's own lines (not a VALARM's), to name
 * a component that cannot be read; '' for what is missing or unreadable too.
 */
export function componentIdentity(lines: string[]): { uid: string; recurrenceId: string } {
  let depth = 0;
  let uid = '';
  let recurrenceId = '';
  for (const line of lines) {
    if (/^BEGIN:/i.test(line)) depth += 1;
    else if (/^END:/i.test(line)) depth -= 1;
    else if (depth === 1 && !uid && /^UID[;:]/i.test(line)) uid = uidText(readProperty(line));
    else if (depth === 1 && !recurrenceId && /^RECURRENCE-ID[;:]/i.test(line)) recurrenceId = recurrenceIdText(readProperty(line));
  }
  return { uid, recurrenceId };
}

function readProperty(line: string): IcalProperty | undefined {
  try {
    return new ICAL.Property(ICAL.parse.property(line));
  } catch {
    return undefined;
  }
}

function uidText(prop: IcalProperty | undefined): string {
  const value = prop ? rawValue(prop) : undefined;
  return typeof value === 'string' ? value.trim() : '';
}

function recurrenceIdText(prop: IcalProperty | undefined): string {
  if (!prop) return '';
  const tzid = paramText(prop, 'tzid').trim();
  const value = icalDateText(rawValue(prop)) || String(rawValue(prop));
  return tzid ? `TZID=${tzid}:${value}` : value;
}
