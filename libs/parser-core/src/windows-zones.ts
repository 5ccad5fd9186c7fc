// Outlook and Exchange name zones the Windows way ("FLE Standard Time", RFC 5545 allows any
// TZID text). When the VTIMEZONE that should define such a TZID is missing, the name is mapped to
// an IANA zone with CLDR's windowsZones table, as packaged by `windows-iana` (docs/parser.md
// says why that package). Older Outlook versions write the zone's display name instead
// ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"); CLDR does not list those, so
// the cities are matched against IANA zone names and the result is accepted only when its
// standard offset is the one the display name states.
import { WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { ianaOffsets } from './time-zones';

/** Windows zone name (lowercase) → CLDR's zone for territory "001", the canonical choice. */
const WINDOWS_TO_IANA: ReadonlyMap<string, string> = new Map(
  WINDOWS_TO_IANA_MAP.filter((entry) => entry.territory === '001' && entry.iana[0])
    .map((entry) => [entry.windowsName.toLowerCase(), entry.iana[0]!] as const),
);

/** The IANA zone a Windows zone name (standard name or display name) stands for, if any. */
export function windowsZoneToIana(tzid: string): string | undefined {
  const name = tzid.trim().replace(/\s+/g, ' ');
  const key = name.toLowerCase();
  // Lotus Notes/Domino writes the Windows key without its suffix: TZID="FLE" for
  // "FLE Standard Time" (corpus: lotus-notes__request-related-alt-cp1257-boundary-space.eml).
  return WINDOWS_TO_IANA.get(key) ?? WINDOWS_TO_IANA.get(`${key} standard time`) ?? displayNameToIana(name);
}

const DISPLAY_NAME = /^\((?:UTC|GMT)(?:([+-])(\d{1,2}):(\d{2}))?\)\s*(.+)$/i;

// IANA names by their last segment ("amsterdam" → Europe/Amsterdam), built on first use.
let cityIndex: Map<string, string> | undefined;

function displayNameToIana(name: string): string | undefined {
  const match = DISPLAY_NAME.exec(name);
  if (!match) return undefined;
  const statedMs = (match[1] === '-' ? -1 : 1) * (Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0)) * 60_000;
  const index = (cityIndex ??= buildCityIndex());
  // The city list is short ("Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"); at most 8 tried.
  for (const city of match[4]!.split(/,|\band\b/).slice(0, 8)) {
    const zone = index.get(city.trim().toLowerCase().replace(/\s+/g, '_'));
    if (zone && standardOffsetMs(zone) === statedMs) return zone;
  }
  return undefined;
}

function buildCityIndex(): Map<string, string> {
  const index = new Map<string, string>();
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const city = zone.slice(zone.lastIndexOf('/') + 1).toLowerCase();
    if (!index.has(city)) index.set(city, zone);
  }
  return index;
}

/** The smaller of the January and July offsets: daylight saving only ever adds. */
function standardOffsetMs(zone: string): number | undefined {
  const offsetAt = ianaOffsets(zone);
  if (!offsetAt) return undefined;
  return Math.min(offsetAt(Date.UTC(2025, 0, 15)), offsetAt(Date.UTC(2025, 6, 15)));
}
