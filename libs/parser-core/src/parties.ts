// ORGANIZER and ATTENDEE (RFC 5545 §3.8.4.3, §3.8.4.1) as CalendarParty. Identity comes from
// the iCalendar only, never from From/Sender/Reply-To (RFC 5546 §3.2, domain.md §3).
import type { eventsV1 } from '@inviteflow/proto-gen';
import { paramText, rawValue, type IcalComponent, type IcalProperty } from './ical';
import { CUTYPE, enumParam, PARTSTAT, ROLE, SCHEDULE_AGENT } from './enumerated-values';
import { WARNING, warning } from './warnings';

/**
 * `mailto:` stripped (repeatedly: KDE has seen "mailto:mailto:x"), trimmed, lowercased. The
 * scheme is matched case-insensitively: "MAILTO:" and "MailTo:" are common.
 */
export function normalizeAddress(value: string): string {
  let address = value.trim();
  while (/^mailto:/i.test(address)) address = address.slice('mailto:'.length).trim();
  return address.toLowerCase();
}

/**
 * The address of a calendar user. A mailto: value is the address; otherwise (urn:uuid:, a
 * relay token) the EMAIL parameter of RFC 7986 §6.2 is the better answer when present.
 */
function partyAddress(prop: IcalProperty): string {
  const raw = rawValue(prop);
  const value = typeof raw === 'string' ? raw : '';
  const fromValue = normalizeAddress(value);
  const email = normalizeAddress(paramText(prop, 'email'));
  if (email && !fromValue.includes('@')) return email;
  return fromValue;
}

/** CN without the extra quoting some clients add inside the parameter ("'XYZ'"). */
function commonName(prop: IcalProperty): string {
  return paramText(prop, 'cn')
    .trim()
    .replace(/^'(.*)'$/, '$1')
    .replace(/^"(.*)"$/, '$1')
    .trim();
}

function readAttendee(prop: IcalProperty, warnings: string[]): eventsV1.CalendarParty {
  return {
    address: partyAddress(prop),
    name: commonName(prop),
    partstat: enumParam(prop, PARTSTAT, warnings),
    role: enumParam(prop, ROLE, warnings),
    // RFC 5545 §3.2.17: RSVP defaults to FALSE.
    rsvp: paramText(prop, 'rsvp').trim().toUpperCase() === 'TRUE',
    cutype: enumParam(prop, CUTYPE, warnings),
    ...actingParams(prop, warnings),
  };
}

/** Who acts for or instead of a party: SENT-BY (§3.2.18), DELEGATED-TO/-FROM (§3.2.4, §3.2.5). */
function actingParams(prop: IcalProperty, warnings: string[]): Pick<eventsV1.CalendarParty, 'sentBy' | 'delegatedTo' | 'delegatedFrom' | 'scheduleAgent'> {
  return {
    sentBy: normalizeAddress(paramText(prop, 'sent-by')),
    delegatedTo: addressList(prop, 'delegated-to'),
    delegatedFrom: addressList(prop, 'delegated-from'),
    // RFC 6638 §7.1: SERVER when absent (written ''); CLIENT means the server must not schedule.
    scheduleAgent: enumParam(prop, SCHEDULE_AGENT, warnings),
  };
}

/** A cal-address list parameter: ical.js gives an array, or one string when a single value. */
function addressList(prop: IcalProperty, name: string): string[] {
  const value: unknown = prop.getParameter(name);
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/,(?=\s*"?mailto:)/i) : [];
  return [...new Set(items.map((item) => normalizeAddress(String(item).replace(/^"|"$/g, ''))).filter((a) => a !== ''))];
}

/** ORGANIZER carries no PARTSTAT/ROLE/RSVP (§3.8.4.3), so only address, name and acting params. */
export function readOrganizer(vevent: IcalComponent, warnings: string[]): eventsV1.CalendarParty | undefined {
  const prop = vevent.getFirstProperty('organizer');
  if (!prop) return undefined;
  const address = partyAddress(prop);
  if (!address) {
    warnings.push(warning(WARNING.partyDropped, 'ORGANIZER has no address'));
    return undefined;
  }
  return { address, name: commonName(prop), partstat: '', role: '', rsvp: false, cutype: '', ...actingParams(prop, warnings) };
}

export function readAttendees(vevent: IcalComponent, warnings: string[]): eventsV1.CalendarParty[] {
  const byAddress = new Map<string, eventsV1.CalendarParty>();
  for (const prop of vevent.getAllProperties('attendee')) {
    const attendee = readAttendee(prop, warnings);
    if (!attendee.address) {
      warnings.push(warning(WARNING.partyDropped, 'ATTENDEE has no address'));
    } else if (byAddress.has(attendee.address)) {
      warnings.push(warning(WARNING.duplicateAttendee, `${attendee.address} listed twice; first kept`));
    } else {
      byAddress.set(attendee.address, attendee);
    }
  }
  return [...byAddress.values()];
}
