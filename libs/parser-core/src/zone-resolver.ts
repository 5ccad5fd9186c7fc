// Which rules a TZID stands for, within one VCALENDAR. RFC 5545 §3.2.19 says every TZID used must
// have a VTIMEZONE in the same object, and that VTIMEZONE is the sender's own statement of the
// rules, so it wins even over an IANA zone of the same name. Senders often omit it (Google,
// Apple, hand-written files), so an IANA name is the second choice, a Windows name mapped to IANA
// the third (windows-zones.ts). A TZID none of these resolves makes the time *floating* (RFC 5545
// §3.3.5 form #1): the wall time is kept, flagged, for the scheduling agent to place in the
// recipient's zone; reading it as UTC would move the meeting by the sender's offset, silently.
import type { IcalComponent } from './ical';
import { CalendarRejection } from './parse-outcome';
import { ianaOffsets, utcOffsets, type OffsetAt } from './time-zones';
import { vtimezoneOffsets } from './vtimezone';
import { WARNING, warning } from './warnings';
import { windowsZoneMatch } from './windows-zones';

export interface ResolvedZone {
  /** Reported on CalendarEvent.time_zone_source; 'unresolved' makes the time floating. */
  source: 'vtimezone' | 'iana' | 'windows' | 'unresolved';
  /** The IANA zone the TZID stands for, when one is known ('' otherwise). */
  iana: string;
  offsetAt: OffsetAt;
  warnings: string[];
}

export type ZoneResolver = (tzid: string) => ResolvedZone;

/** Shared by every VCALENDAR of one message: how many more distinct TZIDs may be resolved. */
export interface ZoneBudget {
  zonesLeft: number;
}

export function createZoneResolver(vcalendar: IcalComponent, budget: ZoneBudget = { zonesLeft: Infinity }): ZoneResolver {
  const vtimezones = indexVtimezones(vcalendar);
  const resolved = new Map<string, ResolvedZone>();
  return (tzid) => {
    const key = tzidKey(tzid);
    let zone = resolved.get(key);
    if (!zone) {
      if (--budget.zonesLeft < 0) throw new CalendarRejection('TOO_LARGE', 'too many distinct TZIDs in one message');
      zone = resolve(tzid, vtimezones.get(key));
      resolved.set(key, zone);
    }
    return zone;
  };
}

function resolve(tzid: string, vtimezone: IcalComponent | undefined): ResolvedZone {
  const warnings: string[] = [];
  const named = ianaFor(tzid);
  if (vtimezone) {
    const offsetAt = vtimezoneOffsets(vtimezone);
    // The sender's own rules win; the IANA name is only reported alongside them.
    if (offsetAt) return { source: 'vtimezone', iana: named?.iana ?? '', offsetAt, warnings };
    warnings.push(warning(WARNING.vtimezoneUnusable, `VTIMEZONE "${tzid}" has no usable STANDARD/DAYLIGHT`));
  }
  if (named) {
    if (named.by) warnings.push(warning(WARNING.tzidWindows, `TZID "${tzid}" has no VTIMEZONE; read as ${named.iana} (${named.by}, CLDR windowsZones)`));
    return { source: named.source, iana: named.iana, offsetAt: named.offsetAt, warnings };
  }
  // "Customized Time Zone" without its VTIMEZONE: there is nothing to go on, and
  // guessing a zone from free text would be silent. The offset function is UTC's only so that
  // the wall time travels unchanged; time_zone_source 'unresolved' and floating say so.
  warnings.push(warning(WARNING.tzidUnknown, `TZID "${tzid}" has no VTIMEZONE and is neither an IANA nor a Windows zone; floating time (recipient's zone)`));
  return { source: 'unresolved', iana: '', offsetAt: utcOffsets, warnings };
}

type NamedZone = Omit<ResolvedZone, 'warnings'> & { by?: string };

function ianaFor(tzid: string): NamedZone | undefined {
  for (const name of ianaCandidates(tzid)) {
    const offsetAt = ianaOffsets(name);
    if (offsetAt) return { source: 'iana', iana: name, offsetAt };
  }
  const mapped = windowsZoneMatch(ianaCandidates(tzid)[0]!.replace(/\\(.)/g, '$1'));
  const offsetAt = mapped ? ianaOffsets(mapped.iana) : undefined;
  return mapped && offsetAt ? { source: 'windows', iana: mapped.iana, offsetAt, by: mapped.by } : undefined;
}

function indexVtimezones(vcalendar: IcalComponent): Map<string, IcalComponent> {
  const index = new Map<string, IcalComponent>();
  for (const vtimezone of vcalendar.getAllSubcomponents('vtimezone')) {
    const tzid = vtimezone.getFirstPropertyValue('tzid');
    if (typeof tzid !== 'string') continue;
    const key = tzidKey(tzid);
    if (!index.has(key)) index.set(key, vtimezone);
  }
  return index;
}

/**
 * TZIDs are compared after the usual sender damage is undone: surrounding quotes, backslash
 * escapes left in a parameter (`Pacific Time (US & Canada)\, Tijuana`), case and spacing.
 */
export function tzidKey(tzid: string): string {
  return tzid
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .replace(/\\(.)/g, '$1')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** The TZID itself, then without a vendor prefix ("/mozilla.org/20050126_1/Europe/Berlin"). */
function ianaCandidates(tzid: string): string[] {
  const name = tzid.trim().replace(/^"(.*)"$/, '$1');
  const unprefixed = /^\/[^/]+\/[^/]+\/(.+)$/.exec(name)?.[1];
  return unprefixed ? [name, unprefixed] : [name];
}
