// VTIMEZONE components (RFC 5545 §3.6.5) for every zone a calendar uses: Outlook places a TZID it
// finds no VTIMEZONE for in its own zone, shifting the meeting. The definitions come from
// timezones-ical-library (kept in step with the IANA database), plugged into ical-generator as its
// timezone generator.
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { isIanaZone } from './zone';

const cache = new Map<string, string | null>();

/**
 * The VTIMEZONE for an IANA zone, or null when none is known. The library resolves links
 * (Europe/Oslo is a link to Europe/Berlin) and names its block after the zone it resolved to; the
 * block is renamed to the zone asked for, because DTSTART's TZID must name a VTIMEZONE in the
 * same object (RFC 5545 §3.2.19).
 */
export function vtimezoneOf(zone: string): string | null {
  if (!isIanaZone(zone)) return null;
  let block = cache.get(zone);
  if (block === undefined) {
    const found = tzlib_get_ical_block(zone);
    const text = Array.isArray(found) ? found[0] : undefined;
    block = text ? text.replace(/^TZID:.*$/m, `TZID:${zone}`).replace(/^X-LIC-LOCATION:.*$/m, `X-LIC-LOCATION:${zone}`) : null;
    cache.set(zone, block);
  }
  return block;
}
