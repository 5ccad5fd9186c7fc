// iCalendar text → VCALENDAR components, tolerating the damage real senders do (domain.md §4).
//
// ical.js is strict: one bad line anywhere (an ORGANIZER written "ORGANIZER;mailto:x") fails the
// whole text. When that happens we read it again line by line and component by component
// (ics-salvage.ts): a line we depend on for identity or time costs its component (the VEVENT, or
// the VCALENDAR for METHOD and VTIMEZONE lines), anything else is dropped with a warning.
// RRULEs never reach ical.js's recurrence parser at all (see RAW_RRULE_PROPERTY).
import { RAW_RULE_PROPERTIES, type IcalComponent } from './ical';
import { clip, parseCalendars, unfold } from './ics-lines';
import { salvageIcs, type IcsObject } from './ics-salvage';
import { CalendarRejection } from './parse-outcome';
import { WARNING, warning } from './warnings';

export interface IcsParse {
  /** The usable VCALENDAR objects (objects without their dropped pieces). */
  calendars: IcalComponent[];
  /** Every VCALENDAR object in document order, usable or dropped (ics-salvage.ts). */
  objects: IcsObject[];
  warnings: string[];
}

/**
 * The fast path is one ical.js parse of the whole text. Only when that fails does the salvage
 * path (ics-salvage.ts) read it line by line and component by component, so that an unreadable
 * line costs its own component, not the whole part. `maxComponents` bounds that path's work.
 */
export function parseIcsText(text: string, maxComponents = Number.POSITIVE_INFINITY): IcsParse {
  const { body: trimmed, warnings } = trimToCalendars(text.replace(/\r\n?/g, '\n'));
  const body = trimmed.replace(/^(RRULE|EXRULE)(?=[;:])/gim, (name: string) =>
    RAW_RULE_PROPERTIES[name.toLowerCase() as keyof typeof RAW_RULE_PROPERTIES].toUpperCase(),
  );
  const first = parseCalendars(body);
  if (first.ok) {
    const objects = first.calendars.map((calendar, index) => ({ number: index + 1, calendar, dropped: [] }));
    return { calendars: first.calendars, objects, warnings };
  }
  const salvaged = salvageIcs(unfold(body), maxComponents);
  const usable = salvaged.objects.filter((object) => object.calendar);
  // No object survived: the part is unreadable as a whole (its first object's reason), as before.
  if (usable.length === 0) {
    throw salvaged.objects.find((object) => object.error)?.error ?? new CalendarRejection('MALFORMED_ICALENDAR', clip(`ical.js: ${first.error}`));
  }
  const calendars = usable.map((object) => object.calendar!);
  return { calendars, objects: salvaged.objects, warnings: [...warnings, ...salvaged.warnings] };
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
