// The slow path of ics-text.ts (issue 13): ical.js could not read the text at once, so one bad
// line must not cost more than the component it stands in.
//
// One linear pass over the unfolded lines splits the text into VCALENDAR objects and their
// top-level components (by BEGIN/END, names matched) and checks each content line (ics-lines.ts):
// a line ical.js cannot read is dropped with a warning, or repaired, unless it is one we depend on
// (UID, DTSTART, RRULE, …; ics-lines.ts CRITICAL), which makes its component unusable: the VEVENT
// (or VTODO…) it is in, or the whole VCALENDAR for a METHOD line or one inside a VTIMEZONE, whose
// events' times depend on it (RFC 5545 §3.6.5). Then:
//   1. the text without the unusable pieces is parsed whole again; when ical.js reads it, the
//      result is exactly what the old line-by-line repair gave (so no repaired message changes);
//   2. only if that fails too (a component not closed, a stray END, a line that breaks ical.js's
//      state), each VCALENDAR's own lines and each of its components are parsed on their own,
//      and whatever ical.js cannot read is dropped (MALFORMED_ICALENDAR, naming UID and why).
// Each line is parsed at most three times; the number of components is bounded by the caller's
// `maxComponents`, counted during the pass.
import { UnusableEvent } from './component-salvage';
import { ICAL, type IcalComponent } from './ical';
import { checkLine, componentIdentity, parseCalendars, parseComponentText } from './ics-lines';
import { CalendarRejection } from './parse-outcome';
import { WARNING, warning } from './warnings';

/** A component of a VCALENDAR dropped while reading the text. */
export interface DroppedComponent {
  /** VEVENT, VTODO, … */
  name: string;
  /** 1-based among its VCALENDAR's components of the same name, in document order. */
  number: number;
  error: CalendarRejection;
}

/** One VCALENDAR object of a part: usable (`calendar`) or dropped as a whole (`error`). */
export interface IcsObject {
  /** 1-based, in document order, dropped objects included. */
  number: number;
  calendar?: IcalComponent;
  error?: CalendarRejection;
  /** The document numbers of the VEVENTs `calendar` still holds, when some were dropped. */
  eventNumbers?: number[];
  dropped: DroppedComponent[];
}

/** Components a VCALENDAR holds directly (RFC 5545 §3.6); none of them nests in another. */
const TOP_LEVEL = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VTIMEZONE']);

interface Child {
  name: string;
  number: number;
  lines: string[];
  warnings: string[];
  /** An unreadable line we depend on: dropped on both paths. */
  critical?: string;
  /** Not closed, or closed by the wrong END: dropped only when ical.js cannot read the whole text. */
  broken?: string;
}

type Item = { kind: 'line'; line: string; stray?: boolean } | { kind: 'child'; child: Child };

interface ScannedObject {
  number: number;
  begin: string;
  end?: string;
  items: Item[];
  warnings: string[];
  critical?: string;
  broken?: string;
}

interface ScanState {
  objects: ScannedObject[];
  object?: ScannedObject;
  child?: Child;
  stack: string[];
  counts: Map<string, number>;
  components: number;
  maxComponents: number;
  strayCharacters: number;
}

export function salvageIcs(lines: string[], maxComponents: number): { objects: IcsObject[]; warnings: string[] } {
  const state = scan(lines, maxComponents);
  const stray = state.strayCharacters ? [warning(WARNING.strayContent, `${state.strayCharacters} characters between VCALENDARs`)] : [];
  const whole = parseCalendars(wholeText(state.objects));
  const usableCount = state.objects.filter((object) => !object.critical).length;
  const read =
    whole.ok && whole.calendars.length === usableCount
      ? withWholeCalendars(state.objects, whole.calendars)
      : state.objects.map(readObjectByParts);
  const objects = read.map((object, index) => nothingLeft(object, state.objects[index]!));
  const warnings = state.objects.flatMap((object, index) => (objects[index]?.calendar ? keptWarnings(object) : []));
  return { objects, warnings: [...stray, ...warnings] };
}

function scan(lines: string[], maxComponents: number): ScanState {
  const state: ScanState = { objects: [], stack: [], counts: new Map(), components: 0, maxComponents, strayCharacters: 0 };
  for (const line of lines) {
    const marker = /^(BEGIN|END):(.*)$/i.exec(line);
    const name = marker?.[2]!.trim().toUpperCase() ?? '';
    if (!state.object) outside(state, line, marker && marker[1]!.toUpperCase() === 'BEGIN' ? name : '');
    else if (!marker) contentLine(state, state.object, line);
    else if (marker[1]!.toUpperCase() === 'BEGIN') begin(state, state.object, line, name);
    else end(state, state.object, line, name);
  }
  if (state.object) {
    closeChild(state, `no END:${state.child?.name ?? ''}`);
    state.object.broken ??= 'no END:VCALENDAR';
  }
  return state;
}

function outside(state: ScanState, line: string, begins: string): void {
  if (begins !== 'VCALENDAR') {
    state.strayCharacters += line.trim().length;
    return;
  }
  state.object = { number: state.objects.length + 1, begin: line, items: [], warnings: [] };
  state.objects.push(state.object);
  state.stack = ['VCALENDAR'];
  state.counts = new Map();
  countComponent(state);
}

function countComponent(state: ScanState): void {
  state.components += 1;
  if (state.components > state.maxComponents) {
    throw new CalendarRejection('TOO_LARGE', `the calendar text has more than ${state.maxComponents} components`);
  }
}

function contentLine(state: ScanState, object: ScannedObject, line: string): void {
  const check = checkLine(line);
  const { child } = state;
  if (check.kind === 'critical') {
    // A VTIMEZONE's lines decide the times of every event that names it: the object goes.
    if (child && child.name !== 'VTIMEZONE') child.critical ??= check.detail;
    else object.critical ??= child ? `${child.name} ${child.number}: ${check.detail}` : check.detail;
    return;
  }
  if (check.warning) (child?.warnings ?? object.warnings).push(check.warning);
  if (check.kind === 'drop') return;
  if (child) child.lines.push(check.line);
  else object.items.push({ kind: 'line', line: check.line });
}

function begin(state: ScanState, object: ScannedObject, line: string, name: string): void {
  countComponent(state);
  if (state.child && TOP_LEVEL.has(name)) closeChild(state, `no END:${state.child.name} before BEGIN:${name}`);
  if (state.child) {
    state.child.lines.push(line);
    state.stack.push(name);
    return;
  }
  const number = (state.counts.get(name) ?? 0) + 1;
  state.counts.set(name, number);
  state.child = { name, number, lines: [line], warnings: [] };
  object.items.push({ kind: 'child', child: state.child });
  state.stack = ['VCALENDAR', name];
}

function end(state: ScanState, object: ScannedObject, line: string, name: string): void {
  const { child, stack } = state;
  const at = stack.lastIndexOf(name);
  if (at === 0) {
    closeChild(state, `no END:${child?.name ?? ''}`);
    object.end = line;
    state.object = undefined;
    state.stack = [];
  } else if (at === -1) {
    if (child) child.broken ??= `stray END:${name}`;
    if (child) child.lines.push(line);
    else object.items.push({ kind: 'line', line, stray: true });
  } else if (child) {
    if (at < stack.length - 1) child.broken ??= `no END:${stack[stack.length - 1]}`;
    child.lines.push(line);
    stack.length = at;
    if (at === 1) closeChild(state);
  }
}

function closeChild(state: ScanState, broken?: string): void {
  if (!state.child) return;
  if (broken) state.child.broken ??= broken;
  state.child = undefined;
  state.stack = ['VCALENDAR'];
}

function children(object: ScannedObject): Child[] {
  return object.items.flatMap((item) => (item.kind === 'child' ? [item.child] : []));
}

/** The text as the old line-by-line repair had it, less every piece with a critical line. */
function wholeText(objects: ScannedObject[]): string {
  const out: string[] = [];
  for (const object of objects) {
    if (object.critical) continue;
    out.push(object.begin);
    for (const item of object.items) {
      if (item.kind === 'line') out.push(item.line);
      else if (!item.child.critical) out.push(...item.child.lines);
    }
    if (object.end !== undefined) out.push(object.end);
  }
  return out.join('\n');
}

function withWholeCalendars(objects: ScannedObject[], calendars: IcalComponent[]): IcsObject[] {
  let next = 0;
  return objects.map((object) => {
    if (object.critical) return droppedObject(object, malformed(object.critical));
    const calendar = calendars[next++]!;
    const lost = children(object).filter((child) => child.critical);
    return { number: object.number, calendar, ...dropsAndNumbers(children(object), lost) };
  });
}

/** Each component of the object on its own; what ical.js cannot read goes, the rest stays. */
function readObjectByParts(object: ScannedObject): IcsObject {
  if (object.critical) return droppedObject(object, malformed(object.critical));
  if (object.broken) {
    // Its first unreadable component says more than the missing END that follows it.
    const first = children(object).find((child) => child.critical);
    return droppedObject(object, first ? childError(first) : malformed(object.broken));
  }
  const ownLines = object.items.flatMap((item) => (item.kind === 'line' && !item.stray ? [item.line] : []));
  const header = parseComponentText(['BEGIN:VCALENDAR', ...ownLines, 'END:VCALENDAR'].join('\n'), 'VCALENDAR');
  if (!header.ok) return droppedObject(object, malformed(`ical.js: ${header.error}`));
  const kept: unknown[] = [];
  const lost: Child[] = [];
  for (const child of children(object)) {
    const parsed = child.critical ?? child.broken ? undefined : parseComponentText(child.lines.join('\n'), child.name);
    if (parsed?.ok) kept.push(parsed.jcal);
    else {
      child.critical ??= child.broken ?? `ical.js: ${parsed?.error ?? ''}`;
      if (child.name === 'VTIMEZONE') return droppedObject(object, malformed(`VTIMEZONE ${child.number}: ${child.critical}`));
      lost.push(child);
    }
  }
  const calendar = new ICAL.Component(['vcalendar', header.jcal[1], kept]);
  return { number: object.number, calendar, ...dropsAndNumbers(children(object), lost) };
}

function dropsAndNumbers(all: Child[], lost: Child[]): Pick<IcsObject, 'dropped' | 'eventNumbers'> {
  const dropped = lost.map((child) => ({ name: child.name, number: child.number, error: childError(child) }));
  if (!lost.some((child) => child.name === 'VEVENT')) return { dropped };
  const eventNumbers = all.filter((child) => child.name === 'VEVENT' && !lost.includes(child)).map((child) => child.number);
  return { dropped, eventNumbers };
}

/** Named by its UID and RECURRENCE-ID when those lines can be read (component-salvage.ts). */
function childError(child: Child): CalendarRejection {
  const { uid, recurrenceId } = componentIdentity(child.lines);
  return new UnusableEvent('MALFORMED_ICALENDAR', child.critical ?? child.broken ?? 'unreadable', uid, recurrenceId);
}

function droppedObject(object: ScannedObject, error: CalendarRejection): IcsObject {
  object.critical ??= error.message;
  return { number: object.number, error, dropped: [] };
}

function malformed(detail: string): CalendarRejection {
  return new CalendarRejection('MALFORMED_ICALENDAR', detail);
}

/**
 * An object that kept no VEVENT but dropped a component has nothing usable: it is dropped as a
 * whole, with its first dropped piece's reason (so a part holding only it is dropped as a part).
 */
function nothingLeft(object: IcsObject, scanned: ScannedObject): IcsObject {
  const [first] = object.dropped;
  if (!object.calendar || !first || object.calendar.getFirstSubcomponent('vevent')) return object;
  return droppedObject(scanned, first.error);
}

/** Line warnings of the object and of the components it kept; a dropped piece's lines do not matter. */
function keptWarnings(object: ScannedObject): string[] {
  return [...object.warnings, ...children(object).flatMap((child) => (child.critical ? [] : child.warnings))];
}
