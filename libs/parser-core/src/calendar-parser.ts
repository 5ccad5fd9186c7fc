// iCalendar text (one or more parts of a mail, or a bare .ics) → the outcome: one InviteParsed
// per UID, or the reason there is none.
import type { eventsV1 } from '@inviteflow/proto-gen';
import { isSalvageable, rejectUnusable, unusable, type Unusable } from './component-salvage';
import { readEvent } from './event-reader';
import type { IcalComponent } from './ical';
import type { IcsObject } from './ics-salvage';
import { parseIcsText } from './ics-text';
import { envelopeOnly } from './mail-context';
import { resolveMethod } from './method';
import {
  CalendarRejection,
  DEFAULT_PARSE_LIMITS,
  ignored,
  rejected,
  type MailParseContext,
  type ParseLimits,
  type ParseOutcome,
} from './parse-outcome';
import { choosePerUid, type Draft, type DraftPart } from './part-choice';
import { WARNING, warning } from './warnings';
import { createZoneResolver, type ZoneBudget } from './zone-resolver';

/** One piece of iCalendar text and where it came from. */
export interface CalendarSource {
  text: string;
  /** The MIME `method` parameter of the part that carried it; '' when none or not a mail. */
  mimeMethod: string;
  /** For details and warnings: "part 1.3 text/calendar", "invite.ics". */
  label: string;
  /** The declared media type of the part ("text/calendar", "application/ics"); absent for a bare .ics. */
  contentType?: string;
}

/** What every invite of one message shares. */
export interface InviteEnvelope {
  mailId: string;
  mail: eventsV1.MailContext;
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
    const parsed = sources.map((source, index) => parseSourceSalvaging(source, partOf(source, index), limits, zoneBudget));
    const eventCount = parsed.reduce((sum, p) => sum + p.eventCount, 0);
    if (eventCount > limits.maxEvents) return rejected('TOO_LARGE', `${eventCount} VEVENTs; the limit is ${limits.maxEvents}`);
    const drafts = choosePerUid(parsed.map((p) => p.drafts));
    const dropped = parsed.flatMap((p) => p.unusable);
    if (drafts.length === 0 && dropped.length > 0) return rejectUnusable(dropped);
    if (drafts.length === 0) return ignored('NO_EVENT_COMPONENTS', describeSkipped(parsed.flatMap((p) => p.skipped)));
    const orphans = orphanWarnings(drafts, parsed.flatMap((p) => p.orphans));
    return { kind: 'parsed', invites: drafts.map((draft) => toInvite(draft, envelope, messageWarnings, orphans(draft.uid))) };
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
  /** Every piece dropped as unusable, in document order (component-salvage.ts). */
  unusable: Unusable[];
  /** The dropped pieces no draft of their own object carries a warning for. */
  orphans: Unusable[];
}

function partOf(source: CalendarSource, index: number): DraftPart {
  const { label, mimeMethod, contentType } = source;
  return { index, label, mimeMethod: mimeMethod.trim().toUpperCase(), contentType: (contentType ?? '').trim().toLowerCase() };
}

/** A part whose text is not iCalendar at all costs only that part (component-salvage.ts). */
function parseSourceSalvaging(source: CalendarSource, part: DraftPart, limits: ParseLimits, zoneBudget: ZoneBudget): ParsedSource {
  try {
    return parseSource(source, part, limits, zoneBudget);
  } catch (err) {
    if (!isSalvageable(err)) throw err;
    const piece = unusable(err, source.label, WARNING.calendarPartDropped);
    return { drafts: [], eventCount: 0, skipped: [], unusable: [piece], orphans: [piece] };
  }
}

function parseSource(source: CalendarSource, part: DraftPart, limits: ParseLimits, zoneBudget: ZoneBudget): ParsedSource {
  const { calendars, objects, warnings } = parseIcsText(source.text, limits.maxComponents);
  const components = calendars.reduce((sum, calendar) => sum + countComponents(calendar, limits.maxComponents), 0);
  if (components > limits.maxComponents) {
    throw new CalendarRejection('TOO_LARGE', `${source.label} has more than ${limits.maxComponents} components`);
  }
  const result: ParsedSource = { drafts: [], eventCount: 0, skipped: [], unusable: [], orphans: [] };
  for (const object of objects) {
    const where = objects.length > 1 ? `VCALENDAR ${object.number} of ${source.label}` : source.label;
    const vcalendar = object.calendar;
    if (!vcalendar) {
      // Salvage (ics-salvage.ts): this object could not be read; the part's others still count.
      const piece = unusable(object.error ?? new CalendarRejection('MALFORMED_ICALENDAR', 'unreadable'), where);
      result.unusable.push(piece);
      result.orphans.push(piece);
      continue;
    }
    const vevents = vcalendar.getAllSubcomponents('vevent');
    // VEVENTs dropped while reading the text count against the limit as well.
    result.eventCount += vevents.length + object.dropped.filter((piece) => piece.name === 'VEVENT').length;
    // Checked per object too, so a stream of many objects cannot make us read them all first.
    if (result.eventCount > limits.maxEvents) throw new CalendarRejection('TOO_LARGE', `more than ${limits.maxEvents} VEVENTs`);
    const skipped = otherComponents(vcalendar);
    result.skipped.push(...skipped);
    const objectWarnings = [...warnings, ...skipped.map((name) => warning(WARNING.componentSkipped, `${name} in ${source.label}`))];
    parseObject(vcalendar, vevents, { part, where, objectWarnings, limits, zoneBudget, object }, result);
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

interface ObjectContext {
  part: DraftPart;
  /** "part 1.2 text/calendar", or "VCALENDAR 2 of …" when the part holds several objects. */
  where: string;
  objectWarnings: string[];
  limits: ParseLimits;
  zoneBudget: ZoneBudget;
  /** What reading the text dropped from this object, and the document numbers of its VEVENTs. */
  object: IcsObject;
}

/**
 * The VEVENTs of one VCALENDAR, grouped by UID in order of first appearance, into `result`. Each
 * VEVENT is read on its own and an unusable one is dropped before grouping, so an override-only
 * REQUEST keeps its good instances and a bad copy of an instance never shadows a good one.
 */
function parseObject(vcalendar: IcalComponent, vevents: IcalComponent[], context: ObjectContext, result: ParsedSource): void {
  const { part, where, objectWarnings, limits, zoneBudget } = context;
  const bodyMethod = vcalendar.getFirstPropertyValue('method');
  const method = resolveMethod(typeof bodyMethod === 'string' ? bodyMethod : '', part.mimeMethod);
  if (!method.ok) {
    const piece = unusable(new CalendarRejection('UNSUPPORTED_METHOD', method.detail), vevents.length ? `${where} (${vevents.length} VEVENTs)` : where);
    result.unusable.push(piece);
    result.orphans.push(piece);
    return;
  }
  const zones = createZoneResolver(vcalendar, zoneBudget);
  const drafts = new Map<string, Draft>();
  const dropped = readEvents(vevents, context, (vevent) => {
    const read = readEvent(vevent, { method: method.method, zones, maxRecurrenceDates: limits.maxRecurrenceDates });
    let draft = drafts.get(read.uid);
    if (!draft) {
      const warnings = [...objectWarnings, ...method.warnings];
      draft = { method: method.method, methodSource: method.source, uid: read.uid, events: [], warnings, part, dropped: 0, propertyCount: 0 };
      drafts.set(read.uid, draft);
    }
    addEvent(draft, read.event, read.warnings, vevent.getAllProperties().length);
  });
  result.unusable.push(...dropped);
  result.orphans.push(...dropped.filter((piece) => !noteDropped(drafts.get(piece.uid), piece)));
  result.drafts.push(...[...drafts.values()].map(orderEvents));
}

/**
 * Reads each VEVENT with `read`; returns the unusable ones, with those dropped while reading the
 * text (ics-salvage.ts), in document order, so the first one named is the first one written.
 */
function readEvents(vevents: IcalComponent[], { where, object }: ObjectContext, read: (vevent: IcalComponent) => void): Unusable[] {
  const dropped = object.dropped.map(({ name, number, error }) => ({
    at: name === 'VEVENT' ? number : Number.MAX_SAFE_INTEGER,
    piece: unusable(error, `${name} ${number} of ${where}`),
  }));
  // Document numbers of the VEVENTs still here, when reading the text dropped some.
  const numbers = object.eventNumbers?.length === vevents.length ? object.eventNumbers : undefined;
  for (const [index, vevent] of vevents.entries()) {
    const number = numbers?.[index] ?? index + 1;
    try {
      read(vevent);
    } catch (err) {
      if (!isSalvageable(err)) throw err;
      dropped.push({ at: number, piece: unusable(err, `VEVENT ${number} of ${where}`) });
    }
  }
  return dropped.sort((a, b) => a.at - b.at).map(({ piece }) => piece);
}

/** A dropped VEVENT is reported on the invite of its own UID when that survives in the object. */
function noteDropped(draft: Draft | undefined, piece: Unusable): boolean {
  if (!draft || !piece.uid) return false;
  draft.dropped += 1;
  draft.warnings.push(piece.warning);
  return true;
}

/** Warnings about lost pieces that every invite repeats; more would only bloat each record. */
const MAX_SHARED_DROP_WARNINGS = 20;

/**
 * A dropped piece no invite of its own object reports goes on the invite of its UID, wherever
 * that came from; a piece whose UID left no invite at all (or that had none) goes on every invite
 * of the message: nothing else would show that part of the message was lost.
 */
function orphanWarnings(drafts: Draft[], orphans: Unusable[]): (uid: string) => string[] {
  const surviving = new Set(drafts.map((draft) => draft.uid));
  const own = new Map<string, string[]>();
  const shared: string[] = [];
  for (const piece of orphans) {
    const owner = piece.uid && surviving.has(piece.uid) ? own.get(piece.uid) ?? own.set(piece.uid, []).get(piece.uid)! : undefined;
    if (owner) owner.push(piece.warning);
    else shared.push(piece.warning);
  }
  if (shared.length > MAX_SHARED_DROP_WARNINGS) {
    const more = shared.length - MAX_SHARED_DROP_WARNINGS;
    shared.splice(MAX_SHARED_DROP_WARNINGS, more, warning(WARNING.componentDropped, `and ${more} more pieces of this message`));
  }
  return (uid) => [...(own.get(uid) ?? []), ...shared];
}

/** RFC 5545 §3.8.4.4: one VEVENT per UID and RECURRENCE-ID; a second copy is dropped. */
function addEvent(draft: Draft, event: eventsV1.CalendarEvent, warnings: string[], propertyCount: number): void {
  if (draft.events.some((existing) => existing.recurrenceId === event.recurrenceId)) {
    const which = event.recurrenceId ? `RECURRENCE-ID ${event.recurrenceId}` : 'master';
    draft.warnings.push(warning(WARNING.duplicateInstance, `${which} appears twice; first kept`));
    return;
  }
  draft.events.push(event);
  draft.warnings.push(...warnings);
  draft.propertyCount += propertyCount;
}

/** The master (no RECURRENCE-ID) first, then overrides by instant (ISO strings sort as instants). */
function orderEvents(draft: Draft): Draft {
  const events = [...draft.events].sort((a, b) =>
    a.recurrenceId === b.recurrenceId ? 0 : a.recurrenceId < b.recurrenceId ? -1 : 1,
  );
  return { ...draft, events };
}

function describeSkipped(skipped: string[]): string {
  const names = [...new Set(skipped)];
  return names.length ? `no VEVENT; found ${names.join(', ')}` : 'no VEVENT in the calendar';
}

function toInvite(draft: Draft, envelope: InviteEnvelope, messageWarnings: string[], dropWarnings: string[]): eventsV1.InviteParsed {
  return {
    mailId: envelope.mailId,
    method: draft.method,
    uid: draft.uid,
    events: draft.events,
    mail: { ...envelope.mail, envelopeTo: [...envelope.mail.envelopeTo], to: [...envelope.mail.to], cc: [...envelope.mail.cc] },
    warnings: [...new Set([...messageWarnings, ...draft.warnings, ...dropWarnings])],
  };
}
