// Which rules a TZID stands for, within one VCALENDAR. RFC 5545 §3.2.19 says every TZID used must
// have a VTIMEZONE in the same object, and that VTIMEZONE is the sender's own statement of the
// rules, so it wins even over an IANA zone of the same name. Senders often omit it (Google,
// Apple, hand-written files), so an IANA name is the second choice, and UTC the last resort.
import type { IcalComponent } from './ical';
import { ianaOffsets, utcOffsets, type OffsetAt } from './time-zones';
import { vtimezoneOffsets } from './vtimezone';
import { WARNING, warning } from './warnings';

export interface ResolvedZone {
  source: 'vtimezone' | 'iana' | 'unknown';
  offsetAt: OffsetAt;
  warnings: string[];
}

export type ZoneResolver = (tzid: string) => ResolvedZone;

export function createZoneResolver(vcalendar: IcalComponent): ZoneResolver {
  const vtimezones = indexVtimezones(vcalendar);
  const resolved = new Map<string, ResolvedZone>();
  return (tzid) => {
    const key = tzidKey(tzid);
    let zone = resolved.get(key);
    if (!zone) {
      zone = resolve(tzid, vtimezones.get(key));
      resolved.set(key, zone);
    }
    return zone;
  };
}

function resolve(tzid: string, vtimezone: IcalComponent | undefined): ResolvedZone {
  const warnings: string[] = [];
  if (vtimezone) {
    const offsetAt = vtimezoneOffsets(vtimezone);
    if (offsetAt) return { source: 'vtimezone', offsetAt, warnings };
    warnings.push(warning(WARNING.vtimezoneUnusable, `VTIMEZONE "${tzid}" has no usable STANDARD/DAYLIGHT`));
  }
  for (const name of ianaCandidates(tzid)) {
    const offsetAt = ianaOffsets(name);
    if (offsetAt) return { source: 'iana', offsetAt, warnings };
  }
  // Windows names ("FLE Standard Time") land here when the VTIMEZONE is missing; a
  // Windows→IANA table (CLDR windowsZones, e.g. the windows-iana package) would rescue them.
  warnings.push(warning(WARNING.tzidUnknown, `TZID "${tzid}" has no VTIMEZONE and is not an IANA zone; read as UTC`));
  return { source: 'unknown', offsetAt: utcOffsets, warnings };
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
