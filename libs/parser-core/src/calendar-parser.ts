// iCalendar text (one or more parts of a mail, or a bare .ics) → the outcome: one InviteParsed
// per UID, or the reason there is none.
import type { eventsV1 } from '@inviteflow/proto-gen';
import { readEvent } from './event-reader';
import type { IcalComponent } from './ical';
import { parseIcsText } from './ics-text';
import { envelopeOnly } from './mail-context';
import { resolveMethod, type ItipMethod, type MethodSource } from './method';
import {
  CalendarRejection,
  DEFAULT_PARSE_LIMITS,
  ignored,
  rejected,
  type MailParseContext,
  type ParseLimits,
  type ParseOutcome,
} from './parse-outcome';
import { WARNING, warning } from './warnings';
import { createZoneResolver, type ZoneBudget } from './zone-resolver';

/** One piece of iCalendar text and where it came from. */
export interface CalendarSource {
  text: string;
  /** The MIME `method` parameter of the part that carried it; '' when none or not a mail. */
  mimeMethod: string;
  /** For details and warnings: "part 1.3 text/calendar", "invite.ics". */
  label: string;
}

/** What every invite of one message shares. */
export interface InviteEnvelope {
  mailId: string;
  mail: eventsV1.MailContext;
}

/** The events of one UID, gathered across the VEVENTs of one VCALENDAR. */
interface Draft {
  method: ItipMethod;
  methodSource: MethodSource;
  uid: string;
  events: eventsV1.CalendarEvent[];
  warnings: string[];
}

/** A bare iCalendar object, e.g. an .ics fetched or uploaded outside mail. */
export function parseCalendarText(
  icsText: string,
  ctx: MailParseContext,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  options: { mimeMethod?: string } = {},
): ParseOutcome {
  const mail = envelopeOnly(ctx);
  const source = { text: icsText, mimeMethod: options.mimeMethod ?? '', label: 'calendar text' };
  return parseCalendarSources([source], { mailId: ctx.mailId, mail }, limits);
}

export function parseCalendarSources(
  sources: CalendarSource[],
  envelope: InviteEnvelope,
  limits: ParseLimits,
  messageWarnings: string[] = [],
): ParseOutcome {
  try {
    checkSize(sources, limits);
    const zoneBudget: ZoneBudget = { zonesLeft: limits.maxTimeZones };
    const parsed = sources.map((source) => parseSource(source, limits, zoneBudget));
    const eventCount = parsed.reduce((sum, p) => sum + p.eventCount, 0);
    if (eventCount > limits.maxEvents) return rejected('TOO_LARGE', `${eventCount} VEVENTs; the limit is ${limits.maxEvents}`);
    const drafts = mergeByUid(parsed.flatMap((p) => p.drafts));
    if (drafts.length === 0) return ignored('NO_EVENT_COMPONENTS', describeSkipped(parsed.flatMap((p) => p.skipped)));
    return { kind: 'parsed', invites: drafts.map((draft) => toInvite(draft, envelope, messageWarnings)) };
  } catch (err) {
    if (err instanceof CalendarRejection) return rejected(err.reasonCode, err.message);
    return rejected('PARSER_FAILURE', `unexpected ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
}

function checkSize(sources: CalendarSource[], limits: ParseLimits): void {
  if (sources.length > limits.maxCalendarParts) {
    throw new CalendarRejection('TOO_LARGE', `${sources.length} calendar parts; the limit is ${limits.maxCalendarParts}`);
  }
  for (const source of sources) {
    const bytes = Buffer.byteLength(source.text, 'utf8');
    if (bytes > limits.maxCalendarBytes) {
      throw new CalendarRejection('TOO_LARGE', `${source.label} is ${bytes} bytes; the limit is ${limits.maxCalendarBytes}`);
    }
  }
}

interface ParsedSource {
  drafts: Draft[];
  eventCount: number;
  /** Names of top-level components that are not VEVENTs (VTODO, VFREEBUSY, …). */
  skipped: string[];
}

function parseSource(source: CalendarSource, limits: ParseLimits, zoneBudget: ZoneBudget): ParsedSource {
  const { calendars, warnings } = parseIcsText(source.text);
  const components = calendars.reduce((sum, calendar) => sum + countComponents(calendar, limits.maxComponents), 0);
  if (components > limits.maxComponents) {
    throw new CalendarRejection('TOO_LARGE', `${source.label} has more than ${limits.maxComponents} components`);
  }
  const result: ParsedSource = { drafts: [], eventCount: 0, skipped: [] };
  for (const vcalendar of calendars) {
    const vevents = vcalendar.getAllSubcomponents('vevent');
    result.eventCount += vevents.length;
    // Checked per object too, so a stream of many objects cannot make us read them all first.
    if (result.eventCount > limits.maxEvents) throw new CalendarRejection('TOO_LARGE', `more than ${limits.maxEvents} VEVENTs`);
    const skipped = otherComponents(vcalendar);
    result.skipped.push(...skipped);
    const objectWarnings = [...warnings, ...skipped.map((name) => warning(WARNING.componentSkipped, `${name} in ${source.label}`))];
    result.drafts.push(...parseObject(vcalendar, vevents, { source, objectWarnings, limits, zoneBudget }));
  }
  return result;
}

/**
 * Components at every depth, counting stops just past `stopAbove`. Iterative: a hostile object
 * can nest BEGIN: lines 100 000 deep, which would overflow a recursive walk.
 */
function countComponents(root: IcalComponent, stopAbove: number): number {
  const pending = [root];
  let count = 0;
  while (pending.length > 0 && count <= stopAbove) {
    const component = pending.pop()!;
    count += 1;
    for (const child of component.getAllSubcomponents()) pending.push(child);
  }
  return count;
}

function otherComponents(vcalendar: IcalComponent): string[] {
  return vcalendar
    .getAllSubcomponents()
    .map((component) => component.name.toUpperCase())
    .filter((name) => name !== 'VEVENT' && name !== 'VTIMEZONE');
}

/** The VEVENTs of one VCALENDAR, grouped by UID in order of first appearance. */
interface ObjectContext {
  source: CalendarSource;
  objectWarnings: string[];
  limits: ParseLimits;
  zoneBudget: ZoneBudget;
}

function parseObject(vcalendar: IcalComponent, vevents: IcalComponent[], { source, objectWarnings, limits, zoneBudget }: ObjectContext): Draft[] {
  const bodyMethod = vcalendar.getFirstPropertyValue('method');
  const method = resolveMethod(typeof bodyMethod === 'string' ? bodyMethod : '', source.mimeMethod);
  if (!method.ok) throw new CalendarRejection('UNSUPPORTED_METHOD', method.detail);
  const zones = createZoneResolver(vcalendar, zoneBudget);
  const drafts = new Map<string, Draft>();
  for (const vevent of vevents) {
    const { uid, event, warnings } = readEvent(vevent, { method: method.method, zones, maxRecurrenceDates: limits.maxRecurrenceDates });
    let draft = drafts.get(uid);
    if (!draft) {
      draft = { method: method.method, methodSource: method.source, uid, events: [], warnings: [...objectWarnings, ...method.warnings] };
      drafts.set(uid, draft);
    }
    addEvent(draft, event, warnings);
  }
  return [...drafts.values()].map(orderEvents);
}

/** RFC 5545 §3.8.4.4: one VEVENT per UID and RECURRENCE-ID; a second copy is dropped. */
function addEvent(draft: Draft, event: eventsV1.CalendarEvent, warnings: string[]): void {
  if (draft.events.some((existing) => existing.recurrenceId === event.recurrenceId)) {
    const which = event.recurrenceId ? `RECURRENCE-ID ${event.recurrenceId}` : 'master';
    draft.warnings.push(warning(WARNING.duplicateInstance, `${which} appears twice; first kept`));
    return;
  }
  draft.events.push(event);
  draft.warnings.push(...warnings);
}

/** The master (no RECURRENCE-ID) first, then overrides by instant (ISO strings sort as instants). */
function orderEvents(draft: Draft): Draft {
  const events = [...draft.events].sort((a, b) =>
    a.recurrenceId === b.recurrenceId ? 0 : a.recurrenceId < b.recurrenceId ? -1 : 1,
  );
  return { ...draft, events };
}

/**
 * One invite per UID per message (the contract of invite.parsed.v1). Google and Cronofy attach the
 * same object twice (text/calendar and application/ics): a copy with the same events vanishes
 * silently, also when only one copy's part had a MIME method to supply a missing METHOD (Lotus
 * Notes). A copy that differs keeps the first, in MIME order, and says so.
 */
function mergeByUid(drafts: Draft[]): Draft[] {
  const byUid = new Map<string, Draft>();
  for (const draft of drafts) {
    const kept = byUid.get(draft.uid);
    if (!kept) byUid.set(draft.uid, draft);
    else if (!isSameObject(kept, draft)) {
      kept.warnings.push(warning(WARNING.duplicateUid, `another ${draft.method} for this UID differs; the first was kept`));
    }
  }
  return [...byUid.values()];
}

function isSameObject(a: Draft, b: Draft): boolean {
  const sameMethod = a.method === b.method || a.methodSource !== 'body' || b.methodSource !== 'body';
  return sameMethod && JSON.stringify(a.events) === JSON.stringify(b.events);
}

function describeSkipped(skipped: string[]): string {
  const names = [...new Set(skipped)];
  return names.length ? `no VEVENT; found ${names.join(', ')}` : 'no VEVENT in the calendar';
}

function toInvite(draft: Draft, envelope: InviteEnvelope, messageWarnings: string[]): eventsV1.InviteParsed {
  return {
    mailId: envelope.mailId,
    method: draft.method,
    uid: draft.uid,
    events: draft.events,
    mail: { ...envelope.mail, envelopeTo: [...envelope.mail.envelopeTo], to: [...envelope.mail.to], cc: [...envelope.mail.cc] },
    warnings: [...new Set([...messageWarnings, ...draft.warnings])],
  };
}
