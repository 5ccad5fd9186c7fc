// Outlook and Exchange name zones the Windows way (RFC 5545 allows any TZID text). When the
// VTIMEZONE that should define such a TZID is missing, the name is mapped to an IANA zone, in
// this order:
//   1. a Windows zone id ("FLE Standard Time"), or Lotus Notes' short form ("FLE"), by CLDR's
//      windowsZones table as packaged by `windows-iana` (docs/parser.md says why that package);
//   2. a Windows display name, with or without its "(UTC+01:00)" / "(GMT+01.00)" prefix, with
//      "/" or ";" for "," (Exchange 5.5/2000), and with extra cities appended: the Windows id
//      from windows-display-names.ts, then CLDR as in 1;
//   3. Exchange 2003's offset names, "GMT +0100 (Standard) / GMT +0200 (Daylight)";
//   4. a display name none of the above knows: its cities are matched against IANA zone names
//      and a match is accepted only when its standard offset is the one the prefix states.
import { WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { ianaOffsets } from './time-zones';
import { EXCHANGE_OFFSET_PAIRS, WINDOWS_DISPLAY_NAMES } from './windows-display-names';

export interface WindowsZoneMatch {
  iana: string;
  /** Which of the rules above matched (reported in the TZID_WINDOWS_MAPPED warning). */
  by: 'windows id' | 'display name' | 'Exchange offsets' | 'city in display name';
}

/** Windows zone id (lowercase) → CLDR's zone for territory "001", the canonical choice. */
const WINDOWS_TO_IANA: ReadonlyMap<string, string> = new Map(
  WINDOWS_TO_IANA_MAP.filter((entry) => entry.territory === '001' && entry.iana[0])
    .map((entry) => [entry.windowsName.toLowerCase(), entry.iana[0]!] as const),
);

/** Display text (displayKey form) → Windows id. */
const DISPLAY_TO_WINDOWS: ReadonlyMap<string, string> = new Map(
  WINDOWS_DISPLAY_NAMES.flatMap(([id, ...texts]) => texts.map((text) => [displayKey(text), id] as const)),
);

/** The IANA zone a Windows zone name (id, display name, Exchange name) stands for, if any. */
export function windowsZoneToIana(tzid: string): string | undefined {
  return windowsZoneMatch(tzid)?.iana;
}

export function windowsZoneMatch(tzid: string): WindowsZoneMatch | undefined {
  const name = tzid.trim().replace(/^"(.*)"$/, '$1').trim().replace(/\s+/g, ' ');
  const byId = windowsIdToIana(name);
  if (byId) return { iana: byId, by: 'windows id' };
  const display = splitDisplayName(name);
  const byDisplay = displayNameToIana(display);
  if (byDisplay) return { iana: byDisplay, by: 'display name' };
  const byOffsets = exchangeOffsetsToIana(name);
  if (byOffsets) return { iana: byOffsets, by: 'Exchange offsets' };
  const byCity = cityToIana(display);
  return byCity ? { iana: byCity, by: 'city in display name' } : undefined;
}

function windowsIdToIana(name: string): string | undefined {
  const key = name.toLowerCase();
  // Lotus Notes/Domino writes the Windows key without its suffix: TZID="FLE" for
  // "FLE Standard Time" (corpus: lotus-notes__request-related-alt-cp1257-boundary-space.eml).
  return WINDOWS_TO_IANA.get(key) ?? WINDOWS_TO_IANA.get(`${key} standard time`);
}

interface DisplayName {
  /** The stated offset in ms, when the name has a "(UTC±hh:mm)" prefix. */
  statedMs: number | undefined;
  /** The text after the prefix, split at its separators, in displayKey form. */
  segments: string[];
}

// "(UTC+01:00)", "(GMT+01.00)", "(UTC)", "(GMT)": the prefix every Windows version writes.
const PREFIX = /^\(\s*(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2})[:.](\d{2}))?\s*\)\s*/i;
/** A display name lists a handful of cities; more segments than this are not looked at. */
const MAX_SEGMENTS = 12;

function splitDisplayName(name: string): DisplayName {
  const prefix = PREFIX.exec(name);
  const statedMs = prefix ? (prefix[1] === '-' ? -1 : 1) * (Number(prefix[2] ?? 0) * 60 + Number(prefix[3] ?? 0)) * 60_000 : undefined;
  const text = prefix ? name.slice(prefix[0].length) : name;
  return { statedMs, segments: displayKey(text).split(',').filter((s) => s !== '').slice(0, MAX_SEGMENTS) };
}

/** Lowercase, one space, and ", " / " / " / "; " all read as the same list separator. */
function displayKey(text: string): string {
  return text.toLowerCase().replace(/\\(.)/g, '$1').replace(/\s*[,;/]\s*/g, ',').replace(/\s+/g, ' ').trim();
}

/**
 * The longest leading run of segments that is a known display text: senders append cities
 * ("Pacific Time (US & Canada), Tijuana"). A match that left segments over is accepted only if
 * a stated offset agrees with the zone, so "(UTC-04:00) Santiago, …" cannot turn into Chile by
 * accident of a prefix; a full match is trusted as it is (older names state offsets the zone
 * has since changed, e.g. "(UTC-04:30) Caracas").
 */
function displayNameToIana({ statedMs, segments }: DisplayName): string | undefined {
  for (let count = segments.length; count > 0; count--) {
    const id = DISPLAY_TO_WINDOWS.get(segments.slice(0, count).join(','));
    const iana = id ? WINDOWS_TO_IANA.get(id.toLowerCase()) : undefined;
    if (!iana) continue;
    if (count === segments.length || statedMs === undefined || zoneOffsetsMs(iana).includes(statedMs)) return iana;
  }
  return undefined;
}

const EXCHANGE_OFFSETS = /^GMT ?([+-]\d{4}) ?\(Standard\)(?: ?\/ ?GMT ?([+-]\d{4}) ?\(Daylight\))?$/i;

/** A zone without daylight saving is exactly its one offset (Etc/GMT-1 is +01:00, POSIX sign). */
function exchangeOffsetsToIana(name: string): string | undefined {
  const match = EXCHANGE_OFFSETS.exec(name);
  if (!match) return undefined;
  const [standard, daylight = standard] = [match[1]!, match[2]];
  if (daylight !== standard) {
    const id = EXCHANGE_OFFSET_PAIRS.get(`${standard}/${daylight}`);
    return id ? WINDOWS_TO_IANA.get(id.toLowerCase()) : undefined;
  }
  const hours = Number(standard.slice(1, 3));
  if (standard.slice(3) !== '00' || hours > 14) return undefined;
  return hours === 0 ? 'Etc/GMT' : `Etc/GMT${standard[0] === '+' ? '-' : '+'}${hours}`;
}

// IANA names by their last segment ("amsterdam" → Europe/Amsterdam), built on first use.
let cityIndex: Map<string, string> | undefined;

function cityToIana({ statedMs, segments }: DisplayName): string | undefined {
  if (statedMs === undefined) return undefined;
  const index = (cityIndex ??= buildCityIndex());
  // The city list is short ("Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"); at most 8 tried.
  for (const segment of segments.slice(0, 8)) {
    for (const city of segment.split(/\band\b/)) {
      const zone = index.get(city.trim().replace(/\s+/g, '_'));
      if (zone && Math.min(...zoneOffsetsMs(zone)) === statedMs) return zone;
    }
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

/** The January and July offsets: the smaller is standard time, since daylight saving only adds. */
function zoneOffsetsMs(zone: string): number[] {
  const offsetAt = ianaOffsets(zone);
  return offsetAt ? [offsetAt(Date.UTC(2025, 0, 15)), offsetAt(Date.UTC(2025, 6, 15))] : [];
}
